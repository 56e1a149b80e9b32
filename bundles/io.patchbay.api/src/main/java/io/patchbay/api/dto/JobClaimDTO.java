package io.patchbay.api.dto;

import java.time.Instant;

/** A job handed to an executor: what to run, the claim that every later report names, and how long it holds. */
public class JobClaimDTO {
    public JobDTO job;
    /** Names this claim of this attempt; progress and reports must send it back. */
    public String claimId;
    /** The claim holds until then unless progress renews it. */
    public Instant leaseExpiresAt;
    /** Set when the job was cancelled or its deadline passed: the executor stops it and reports. */
    public boolean stopRequested;
    public String stopReason;
    /** What the device's group and the job's policy set for its source; the agent gives them to the source. */
    public TargetSettingsDTO settings;
}
