package io.patchbay.core.internal;

import java.time.Instant;
import java.util.List;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.TargetSettingsDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/**
 * A job this node claimed and runs with a local source: what the executor keeps in memory for the length of the
 * claim. The job itself is a row of the queue; every mutable field here is guarded by the executor's lock.
 */
final class Job {
    final String id;
    final String claimId;
    final JobKind kind;
    final String deviceId;
    final String sourceId;
    final List<UpdateDTO> requested;
    final Instant deadline;
    final int attempt;
    /** The run whose policy settings reach the source, or null. */
    final String runId;
    /**
     * The target settings the claim carried (an agent's claim from the server, which read the group and policy), or
     * null: then they are read from the stores here as the job starts.
     */
    final TargetSettingsDTO claimedSettings;

    /** The source service the job runs with. */
    long sourceServiceId = -1;
    /** Set while the job runs on a worker. */
    Thread worker;
    JobContextImpl context;
    /** A stop asked before the job's context existed (it was still being started); applied when it is made. */
    JobContextImpl.Stop pendingStop;
    String pendingReason;
    /** Ended while its source still ran, which ignored the stop request and the interrupt. */
    boolean abandoned;
    /** The executor has handed the job's end to the queue (or is doing so); nothing ends it a second time. */
    boolean ending;
    /** Set when the job starts: the updates handed to the source, and the results of the blocked ones. */
    List<UpdateDTO> allowed;
    List<UpdateResultDTO> blockedResults;

    Job(JobDTO claimed, String claimId) {
        this(claimed, claimId, null);
    }

    Job(JobDTO claimed, String claimId, TargetSettingsDTO claimedSettings) {
        this.claimedSettings = claimedSettings;
        this.id = claimed.id;
        this.claimId = claimId;
        this.kind = claimed.kind;
        this.deviceId = claimed.deviceId;
        this.sourceId = claimed.sourceId;
        this.requested = claimed.requested == null ? List.of() : List.copyOf(claimed.requested);
        this.deadline = claimed.deadline;
        this.attempt = claimed.attempt;
        this.runId = claimed.runId;
    }
}
