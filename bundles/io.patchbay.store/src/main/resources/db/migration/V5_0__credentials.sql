-- API tokens and device secrets: only the SHA-256 of a secret is kept.
CREATE TABLE pb_credential (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret_sha256 VARCHAR(64)  NOT NULL,
    name          VARCHAR(255) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    device_id     VARCHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(255) NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    revoked_at    TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX pb_credential_secret ON pb_credential (secret_sha256);
CREATE INDEX pb_credential_device ON pb_credential (device_id);

-- One row once the first admin token was issued, so that two servers on one database never both issue it.
CREATE TABLE pb_credential_bootstrap (
    id         INT NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
