package io.patchbay.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;

/**
 * The job operations of a device's agent (the remote executor): it claims the next job due for its device, reports
 * progress while it runs the job with the sources on the device, and reports the outcome. A claimed job is RUNNING
 * under a lease that every progress report renews; when the lease runs out the job ends INTERRUPTED and is retried
 * under the retry policy, and the old claim is refused from then on.
 */
@ProviderType
public interface AgentJobs {
    /**
     * Claims the device's oldest due job, or empty when none is due now.
     *
     * @throws NotFoundException when there is no such device
     */
    Optional<JobClaimDTO> claim(String deviceId);

    /**
     * Claims the device's oldest due job of one of these sources (the ones the agent runs), or empty when none is due.
     *
     * @param sourceIds null or empty for any source
     * @throws NotFoundException when there is no such device
     */
    Optional<JobClaimDTO> claim(String deviceId, java.util.Set<String> sourceIds);

    /**
     * Claims the device's oldest due job of one of these sources, waiting up to {@code wait} for one to become due (an
     * agent's long poll): a job queued on this server node ends the wait at once, one queued on another node within
     * about a second.
     *
     * @param sourceIds null or empty for any source
     * @throws NotFoundException when there is no such device
     * @throws InterruptedException when the waiting thread is interrupted
     */
    default Optional<JobClaimDTO> claim(String deviceId, java.util.Set<String> sourceIds, java.time.Duration wait)
            throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<JobClaimDTO> claim = claim(deviceId, sourceIds);
            long left = end - System.nanoTime();
            if (claim.isPresent() || left <= 0) {
                return claim;
            }
            Thread.sleep(Math.max(1, Math.min(250, left / 1_000_000)));
        }
    }

    /**
     * Progress and log lines of a claimed job; renews its lease. The answer says whether the job was cancelled, in
     * which case the agent stops it and reports.
     *
     * @throws ClaimLostException when the claim is no longer held: the lease ran out, or the job ended
     * @throws NotFoundException when the device has no such job
     */
    JobClaimDTO progress(String deviceId, String jobId, JobProgressDTO progress);

    /**
     * The outcome of a claimed job, recorded exactly once: a report repeated with the same claim returns the job as
     * the first report recorded it, and changes nothing.
     *
     * @throws ClaimLostException when the claim is no longer held and the job was not recorded from it
     * @throws InvalidInputException naming the field and value that are wrong
     * @throws NotFoundException when the device has no such job
     */
    JobDTO report(String deviceId, String jobId, JobReportDTO report);

    /**
     * Gives a claimed job back without an attempt counted, when the agent could not start it after all: it waits again
     * ({@code QUEUED} or {@code WAITING}) with the reason. A release under a claim no longer held changes nothing.
     *
     * @throws InvalidInputException naming the field and value that are wrong
     * @throws NotFoundException when the device has no such job
     */
    void release(String deviceId, String jobId, io.patchbay.api.agent.JobReleaseDTO release);
}
