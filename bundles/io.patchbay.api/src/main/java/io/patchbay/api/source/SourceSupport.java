package io.patchbay.api.source;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/** Small helpers most sources need: running a command within the job's time, and building per-update results. */
public final class SourceSupport {
    private SourceSupport() {
    }

    /** {@code wanted}, or less when the job's deadline comes sooner; never zero. */
    public static Duration within(Duration wanted, JobContext context) {
        Duration left = Duration.between(Instant.now(), context.deadline());
        Duration d = left.compareTo(wanted) < 0 ? left : wanted;
        return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
    }

    /**
     * Runs a command after checking that the job was not cancelled, and logs it to the job.
     *
     * @throws IOException when it cannot start, or when it ran out of time (it was killed)
     */
    public static CommandResult run(Host host, Command command, JobContext context)
            throws IOException, InterruptedException {
        context.checkCancelled();
        context.log("$ " + command);
        CommandResult r = host.run(command);
        if (r.timedOut()) {
            throw new IOException(command.argv().get(0) + " did not finish within " + command.timeout().toSeconds()
                    + " s and was stopped");
        }
        return r;
    }

    /** A result for the update, not yet decided, with the version installed before. */
    public static UpdateResultDTO result(UpdateDTO update, String versionBefore) {
        UpdateResultDTO r = new UpdateResultDTO();
        r.updateId = update.id;
        r.title = update.title;
        r.versionBefore = versionBefore;
        r.versionAfter = versionBefore;
        r.startedAt = Instant.now();
        return r;
    }

    public static UpdateResultDTO succeed(UpdateResultDTO r, String versionAfter, String message) {
        r.status = UpdateStatus.SUCCEEDED;
        r.versionAfter = versionAfter;
        r.message = message;
        r.endedAt = Instant.now();
        return r;
    }

    public static UpdateResultDTO fail(UpdateResultDTO r, String message) {
        r.status = UpdateStatus.FAILED;
        r.message = message;
        r.endedAt = Instant.now();
        return r;
    }
}
