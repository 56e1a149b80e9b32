-- Runs of a policy or of one update.
CREATE TABLE pb_run (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body        VARCHAR      NOT NULL
);
CREATE INDEX pb_run_created ON pb_run (created_at);

-- Every job that ended, as the engine reported it.
CREATE TABLE pb_job (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    run_id      VARCHAR(64),
    device_id   VARCHAR(64)  NOT NULL,
    source_id   VARCHAR(64)  NOT NULL,
    kind        VARCHAR(16)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    body        VARCHAR      NOT NULL
);
CREATE INDEX pb_job_run ON pb_job (run_id);
CREATE INDEX pb_job_device ON pb_job (device_id);

-- One row per update of an install or rollback job, for queries by run, KB, device and title.
CREATE TABLE pb_job_result (
    job_id      VARCHAR(64)  NOT NULL,
    update_id   VARCHAR(255) NOT NULL,
    run_id      VARCHAR(64),
    device_id   VARCHAR(64)  NOT NULL,
    source_id   VARCHAR(64)  NOT NULL,
    kb          VARCHAR(64),
    title       VARCHAR(500),
    status      VARCHAR(16)  NOT NULL,
    message     VARCHAR,
    version_before VARCHAR(255),
    version_after  VARCHAR(255),
    ended_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_id, update_id)
);
CREATE INDEX pb_job_result_update ON pb_job_result (update_id);
CREATE INDEX pb_job_result_kb ON pb_job_result (kb);
CREATE INDEX pb_job_result_device ON pb_job_result (device_id);

-- What the latest scan of each device with each source found missing.
CREATE TABLE pb_device_scan (
    device_id   VARCHAR(64)  NOT NULL,
    source_id   VARCHAR(64)  NOT NULL,
    scanned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (device_id, source_id)
);
CREATE TABLE pb_device_update (
    device_id      VARCHAR(64)  NOT NULL,
    source_id      VARCHAR(64)  NOT NULL,
    update_id      VARCHAR(255) NOT NULL,
    source_type    VARCHAR(64),
    os_family      VARCHAR(16),
    title          VARCHAR(500),
    kb             VARCHAR(64),
    severity       VARCHAR(32),
    classification VARCHAR(64),
    blocked        BOOLEAN      NOT NULL,
    found_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    body           VARCHAR      NOT NULL,
    PRIMARY KEY (device_id, source_id, update_id)
);
CREATE INDEX pb_device_update_update ON pb_device_update (source_id, update_id);
