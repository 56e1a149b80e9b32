package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.JobDTO;

/**
 * Jobs that ended, as the store recorded them. For platform bundles: the job engine answers {@link Jobs#get} and
 * {@link Jobs#ofRun} from it for jobs it no longer holds in memory; everyone else reads jobs through {@link Jobs}.
 */
@ProviderType
public interface RecordedJobs {
    Optional<JobDTO> get(String jobId);

    /** The recorded jobs of a run, in the order they ended. */
    List<JobDTO> ofRun(String runId);
}
