package io.patchbay.api.dto;

import java.time.Instant;
import java.util.List;

/** One scan, install or rollback on one device with one source, and everything it produced. */
public class JobDTO {
    public String id;
    public JobKind kind;
    public String deviceId;
    public String sourceId;
    public String sourceType;
    /** Symbolic name and version of the bundle whose source ran the job. */
    public String sourceBundle;
    public String sourceBundleVersion;
    public JobState state;
    /** Why the job is in its state: the failure, the missing source, the interruption. */
    public String reason;
    public int progress;
    public String progressMessage;
    /** The updates asked for (INSTALL, ROLLBACK). */
    public List<UpdateDTO> requested;
    /** The updates found (SCAN). */
    public List<UpdateDTO> found;
    /** One result per requested update (INSTALL, ROLLBACK). */
    public List<UpdateResultDTO> results;
    public List<JobLogDTO> log;
    /** Which try this is; a job interrupted by its source leaving is tried again when the source returns. */
    public int attempt;
    /** The job this one retries, or null. */
    public String retryOf;
    public String requestedBy;
    /** The run the job belongs to, or null. */
    public String runId;
    /**
     * The job whose outcome this one carries on (a run's install after its scan), or null. There is at most one job
     * following a job: submitting a second one returns the first.
     */
    public String follows;
    public Instant createdAt;
    public Instant startedAt;
    public Instant endedAt;
    public Instant deadline;
}
