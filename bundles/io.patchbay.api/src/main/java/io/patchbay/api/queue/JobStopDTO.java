package io.patchbay.api.queue;

/** A stop asked of a running job from anywhere (a cancel on any node): its executor stops it and ends it so. */
public class JobStopDTO {
    public String jobId;
    public String claimId;
    /** CANCELLED or TIMED_OUT. */
    public io.patchbay.api.dto.JobState state;
    public String reason;
}
