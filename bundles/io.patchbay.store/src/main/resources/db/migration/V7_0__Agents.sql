-- Enrollment tokens: only the SHA-256 of a token's secret is kept. uses counts enrollments; an enrollment takes one
-- use with a conditional UPDATE, so two agents racing for the last use cannot both have it.
CREATE TABLE pb_enrollment_token (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret_sha256 VARCHAR(64)  NOT NULL,
    name          VARCHAR(255) NOT NULL,
    group_id      VARCHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(255) NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    max_uses      INTEGER      NOT NULL,
    uses          INTEGER      DEFAULT 0 NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    revoked_by    VARCHAR(255),
    last_used_at  TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX pb_enrollment_token_secret ON pb_enrollment_token (secret_sha256);

-- What a device's agent told the server: its identity at enrollment, and at each check-in its inventory, version,
-- boot time and check-in sequence. last_seen_at and last_sequence are written in batches (see StoreCheckIns).
CREATE TABLE pb_agent (
    device_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    hardware_id       VARCHAR(128) NOT NULL,
    machine_id        VARCHAR(128),
    serial            VARCHAR(128),
    hostname          VARCHAR(253),
    os_family         VARCHAR(16),
    os_name           VARCHAR(200),
    os_version        VARCHAR(100),
    architecture      VARCHAR(32),
    time_zone         VARCHAR(64),
    addresses         VARCHAR(2000),
    agent_version     VARCHAR(64),
    boot_time         TIMESTAMP WITH TIME ZONE,
    enrolled_at       TIMESTAMP WITH TIME ZONE,
    last_seen_at      TIMESTAMP WITH TIME ZONE,
    last_sequence     BIGINT       DEFAULT 0 NOT NULL,
    identity_conflict VARCHAR(1000)
);
CREATE INDEX pb_agent_hardware ON pb_agent (hardware_id);
