package io.patchbay.api.dto;

import java.util.List;

/** The outcome of a claimed job, sent once by its executor (and again, unchanged, if the first answer was lost). */
public class JobReportDTO {
    public String claimId;
    /** SUCCEEDED, FAILED, INTERRUPTED, CANCELLED or TIMED_OUT. */
    public JobState state;
    public String reason;
    /** SCAN: the updates found missing. */
    public List<UpdateDTO> found;
    /** INSTALL, ROLLBACK: one result per requested update. */
    public List<UpdateResultDTO> results;
    /** Log lines not sent with progress yet. */
    public List<String> log;
    /** Symbolic name and version of the bundle whose source ran the job on the device. */
    public String sourceBundle;
    public String sourceBundleVersion;
}
