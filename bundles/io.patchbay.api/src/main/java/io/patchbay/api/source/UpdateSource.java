package io.patchbay.api.source;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/**
 * An update source: finds missing updates on a device, installs them and rolls them back.
 * <p>
 * Register it as an OSGi service with {@link UpdateSourceProperties}. The core calls it on threads it owns, one job
 * per device at a time, and may call it for different devices at once. A source must:
 * <ul>
 * <li>reach the device only through {@link Target#host()}, never through channels of its own;</li>
 * <li>check {@link JobContext#isCancelled()} between steps and return promptly when it is set; a source that keeps
 * running past the deadline or its own removal is interrupted;</li>
 * <li>own no threads or executors;</li>
 * <li>throw an exception only when the whole operation failed; per-update failures are results.</li>
 * </ul>
 * The core enforces the block list: blocked updates never reach {@link #install}.
 */
@ConsumerType
public interface UpdateSource {

    /**
     * Finds the updates that are missing on the device.
     *
     * @return the applicable updates, each with {@code id}, {@code installedVersion} and {@code version} set
     * @throws Exception when the scan as a whole failed; the message is shown to the operator
     */
    List<UpdateDTO> scan(Target target, JobContext context) throws Exception;

    /**
     * Installs exactly the given updates (each at its {@code version} when set).
     *
     * @return one result per update, with the versions before and after
     * @throws Exception when nothing could be attempted; every update is then reported failed with its message
     */
    List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context) throws Exception;

    /**
     * Returns the given updates to the versions they had before they were installed ({@code installedVersion} of
     * each update is that earlier version).
     *
     * @return one result per update; an update that cannot be rolled back is FAILED with a plain reason
     */
    List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context) throws Exception;
}
