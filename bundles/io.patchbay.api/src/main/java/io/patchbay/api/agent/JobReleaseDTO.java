package io.patchbay.api.agent;

/**
 * Gives a claimed job back without an attempt counted ({@code POST .../jobs/{jobId}/release}), when the agent could not
 * start it after all (its source left the device meanwhile, the agent is stopping before it began).
 */
public class JobReleaseDTO {
    public String claimId;
    /** {@code QUEUED} or {@code WAITING}. */
    public String state;
    public String reason;
}
