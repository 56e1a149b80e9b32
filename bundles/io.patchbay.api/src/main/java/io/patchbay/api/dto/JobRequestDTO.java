package io.patchbay.api.dto;

import java.time.Instant;
import java.util.List;

/** A request to scan, install or roll back on one device with one source. */
public class JobRequestDTO {
    public JobKind kind;
    public String deviceId;
    /** Instance id of the source ({@code patchbay.source.id}). */
    public String sourceId;
    /** For INSTALL and ROLLBACK: the updates, each with at least {@code id}, and {@code version} for an exact install. */
    public List<UpdateDTO> updates;
    /** Latest time the job may run until, e.g. the end of a maintenance window; null for the default timeout. */
    public Instant deadline;
    /** Who asked for it, for the audit trail. */
    public String requestedBy;
    /** The run the job belongs to, or null for a job on its own. */
    public String runId;
    /**
     * The job whose outcome this one carries on (a run's install after its scan), or null. There is at most one job
     * following a job: submitting a second one returns the first.
     */
    public String follows;
}
