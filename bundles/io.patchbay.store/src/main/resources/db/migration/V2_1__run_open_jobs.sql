-- Jobs a run handed to the engine that are not recorded yet, and which server process handed them over: after a
-- restart, a run whose jobs the engine no longer knows reads INTERRUPTED instead of SUCCEEDED.
ALTER TABLE pb_run ADD COLUMN open_jobs INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE pb_run ADD COLUMN open_owner VARCHAR(64);
-- Why a step of the run could not start (the engine refused a job), when one could not.
ALTER TABLE pb_run ADD COLUMN failure VARCHAR(2000);
