package io.patchbay.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobRequestDTO;

/** The job engine: runs scans, installs and rollbacks on devices, one job per device at a time. */
@ProviderType
public interface Jobs {
    /**
     * Accepts a job. It runs when the device is free, its host is reachable and its source is present; until then
     * it is QUEUED or WAITING with the reason.
     *
     * @throws InvalidInputException when the request names no kind, an unknown device, or no updates to install
     */
    JobDTO submit(JobRequestDTO request);

    Optional<JobDTO> get(String id);

    /** Jobs, newest first. */
    List<JobDTO> list();

    /** Every job of a run, in any state, oldest first; empty when the run has none. */
    List<JobDTO> ofRun(String runId);

    /** Waits until the job is in a final state or the timeout passes, and returns it as it is then. */
    Optional<JobDTO> await(String id, Duration timeout) throws InterruptedException;

    /**
     * Cancels a job: a waiting job ends at once, a running one is asked to stop and is interrupted when it does not.
     *
     * @return false when there is no such job or it had already ended
     */
    boolean cancel(String id, String reason);
}
