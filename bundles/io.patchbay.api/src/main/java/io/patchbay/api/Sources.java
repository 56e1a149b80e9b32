package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.SourceDTO;

/** The update sources present in the running server. */
@ProviderType
public interface Sources {
    /** Every source service, ordered by id, the one in use for each id first. */
    List<SourceDTO> sources();

    /** The source in use for an instance id. */
    Optional<SourceDTO> source(String id);

    /**
     * Drains a source before a replacement: its new jobs wait, running ones go on. Returns once they have ended or
     * {@code wait} has passed, with the source's state then ({@code DRAINING}, and its running jobs).
     *
     * @throws NotFoundException when there is no such source
     */
    SourceDTO drain(String id, java.time.Duration wait) throws InterruptedException;

    /** Ends a drain; the source's waiting jobs run. */
    SourceDTO resume(String id);

    /**
     * Replaces the bundle that provides a source with a new build: drains the source, updates and refreshes only that
     * bundle, waits for the source to return, and resumes it. Jobs are not interrupted.
     *
     * @throws InUseException when jobs still run after {@code wait}; nothing is replaced
     * @throws InvalidInputException when the jar is not a bundle that can replace it; nothing is replaced
     */
    SourceDTO replace(String id, java.io.InputStream jar, java.time.Duration wait) throws InterruptedException;
}
