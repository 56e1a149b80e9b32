package io.patchbay.api.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobState;

/**
 * Every job in every state, kept by the store so that it survives restarts and is shared by every server node on one
 * database. A job is claimed by one executor at a time under a lease (a node id, or {@code agent:<deviceId>}); one
 * running job per device is enforced by the database; ending a job and recording its results is one transaction, and
 * happens once per claim. Times come from the caller, which owns the clock.
 */
@ProviderType
public interface JobQueue {
    /**
     * Stores a new job (QUEUED, or WAITING when it has a reason). When it names a job it follows and a job follows
     * that one already, nothing is stored and that job is returned.
     *
     * @throws LimitExceededException when the device already has {@code maxPendingPerDevice} jobs not ended
     */
    JobDTO enqueue(JobDTO job, int maxPendingPerDevice);

    Optional<JobDTO> get(String id);

    /** The newest jobs first, at most {@code limit}. */
    List<JobDTO> newest(int limit);

    /** Every job of a run, in any state, oldest first. */
    List<JobDTO> ofRun(String runId);

    /**
     * Jobs that could be claimed now with one of the sources, oldest first, without locking them: QUEUED or WAITING,
     * before their deadline, on a device that runs nothing, and not set aside until later by {@link #waitFor}.
     */
    List<JobDTO> due(Set<String> sourceIds, Instant now, int limit);

    /**
     * Which of these devices have a job that their agent could claim now (as {@link #claimNext} would find it): one
     * query for all of them, for the agents waiting on a node.
     */
    Set<String> devicesWithDueJobs(java.util.Collection<String> deviceIds, Instant now);

    /** Claims one job if it can still be claimed and its device runs nothing; row locks held by others are skipped. */
    Optional<JobClaimDTO> claim(String jobId, String owner, Instant now, Instant leaseExpiresAt);

    /**
     * Claims the oldest job that can be claimed now, of one device ({@code deviceId}) or of any, with one of the
     * sources ({@code sourceIds}, null for any). Across devices, jobs locked by other claims are skipped, not waited
     * for; one device's claim (its agent's) waits out a short lock rather than answer that nothing is due.
     */
    Optional<JobClaimDTO> claimNext(String deviceId, Set<String> sourceIds, String owner, Instant now,
            Instant leaseExpiresAt);

    /**
     * Says why a job that is not running waits ({@code QUEUED} or {@code WAITING}); {@code recheckAt}, when set, keeps
     * it out of {@link #due} until then.
     */
    void waitFor(String jobId, JobState state, String reason, Instant now, Instant recheckAt);

    /**
     * Gives a claimed job back without an attempt counted, when its executor could not start it after all (its source
     * or host went away meanwhile): it waits again with the reason.
     */
    void release(String jobId, String claimId, JobState state, String reason, Instant now);

    /** Progress and log lines of a claimed job; renews its lease. The answer says whether a stop was asked. */
    JobClaimDTO progress(String jobId, String claimId, Integer percent, String message, List<String> log, Instant now,
            Instant leaseExpiresAt) throws ClaimLostException;

    /** Adds a line to a job's log; lines beyond the bound are counted, not kept. */
    void log(String jobId, Instant at, String message);

    /** Renews the leases the owner holds on these jobs; returns the stops asked of them meanwhile. */
    List<JobStopDTO> renew(String owner, Set<String> jobIds, Instant leaseExpiresAt);

    /**
     * Ends a claimed job and records its results, what a scan found and, when asked, its next attempt, in one
     * transaction. The same end sent again under the same claim returns the job as recorded and changes nothing.
     *
     * @throws ClaimLostException when the claim is no longer held and the job was not ended under it
     */
    JobDTO end(JobEndDTO end) throws ClaimLostException;

    /**
     * Cancels a job: one not running ends CANCELLED at once (returned); a running one gets a stop request that its
     * executor acts on (returned as it is, RUNNING).
     *
     * @return empty when there is no such job or it has ended
     */
    Optional<JobDTO> cancel(String jobId, String reason, Instant now);

    /**
     * The reaper's pass: running jobs whose lease expired end INTERRUPTED and are retried under the policy, jobs past
     * their deadline that no live executor holds end TIMED_OUT. The jobs {@code heldHere} (those the calling node runs
     * and renews) are left alone, whatever the clock says.
     *
     * @return the jobs this pass ended, in the order it ended them
     */
    List<JobDTO> reap(Set<String> heldHere, Instant now, Instant deadlineGraceBefore, int maxAttempts);
}
