package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;

/** Runs of a policy or of one update on devices, started by hand or by a schedule. */
@ProviderType
public interface Runs {
    /**
     * Starts a run: a policy run scans each device with the sources of its platform and installs what the policy
     * selects; a run of one update installs it on every device that misses it.
     *
     * @throws InvalidInputException naming the field and value that are wrong; nothing is started
     */
    RunDTO start(RunDTO run, String actor);

    Optional<RunDTO> get(String id);

    /** Runs, newest first; {@code name} filters by a part of the name, case-insensitive. */
    PageDTO<RunDTO> page(String name, String cursor, int limit);

    /** The jobs of a run, one or two per device (and their retries), oldest first, as {@link Jobs#ofRun} has them. */
    List<JobDTO> jobs(String runId);
}
