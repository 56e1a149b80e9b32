package io.patchbay.api.source;

import java.time.Instant;
import java.util.concurrent.CancellationException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the core gives a source for the length of one job: cancellation, the deadline, progress and log lines.
 * After the job ends, or its source leaves, the context is fenced: writes to it are dropped.
 */
@ProviderType
public interface JobContext {

    /** Set when the job should stop: cancelled by an operator, out of time, or the source is leaving. */
    boolean isCancelled();

    /** Why the job was cancelled, or null. */
    String cancelReason();

    /** Throws {@link CancellationException} with the reason when the job was cancelled. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException(cancelReason());
        }
    }

    /** When the job must be over: the end of the maintenance window or the job's time limit. */
    Instant deadline();

    /** Reports progress, 0 to 100, with a short message. */
    void progress(int percent, String message);

    /** Adds a line to the job's log, which operators read per device and run. */
    void log(String message);
}
