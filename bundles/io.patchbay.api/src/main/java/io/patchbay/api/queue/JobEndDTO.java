package io.patchbay.api.queue;

import java.time.Instant;
import java.util.List;

import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/** How a claimed job ended, as its executor hands it to the queue to be recorded once. */
public class JobEndDTO {
    public String jobId;
    /** The claim the executor holds; an end under another claim is refused. */
    public String claimId;
    /** A final state. */
    public JobState state;
    public String reason;
    /** SCAN that succeeded: what the device misses now, each update stamped with its source and block rule. */
    public List<UpdateDTO> found;
    /** INSTALL, ROLLBACK: one result per requested update. */
    public List<UpdateResultDTO> results;
    /** Log lines to add before the line that says how the job ended. */
    public List<String> log;
    public String sourceType;
    public String sourceBundle;
    public String sourceBundleVersion;
    /** The device's OS family, kept beside what a scan found for reports. */
    public String osFamily;
    /** Queue the next attempt in the same transaction, unless the attempts allowed are used up or the deadline passed. */
    public boolean retry;
    /** Why the next attempt waits (WAITING), e.g. for its source to return; null to queue it (QUEUED). */
    public String retryWaitsFor;
    /** Attempts a job may have in all, when {@link #retry} is set. */
    public int maxAttempts;
    public Instant endedAt;
}
