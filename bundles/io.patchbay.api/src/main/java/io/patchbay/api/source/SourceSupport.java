package io.patchbay.api.source;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.version.VersionScheme;

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

    /**
     * The version an exact-version install or rollback of one package aims at, after the checks every package source
     * makes: a rollback needs the earlier version and an installed package, the version must be valid for the scheme,
     * a version already installed is done, and an install never downgrades. When a check decides the update, the
     * result says so and this returns null; an install without a version (when allowed) aims at "" (the candidate).
     *
     * @param installed the installed version, or null when the package is not installed
     * @param settled whether the installed package is in a good state (a half-configured one is not done yet)
     */
    public static String aim(UpdateDTO update, String name, String installed, boolean settled, boolean rollback,
            boolean versionRequired, VersionScheme scheme, UpdateResultDTO result) {
        String wanted = rollback ? update.installedVersion : update.version;
        if (wanted == null) {
            if (rollback || versionRequired) {
                fail(result, rollback ? "no earlier version of " + name
                        + " was recorded, so there is nothing to roll back to"
                        : "no version to install was given for " + name);
                return null;
            }
            return "";
        }
        if (!scheme.isValid(wanted)) {
            fail(result, "'" + wanted + "' is not a valid " + scheme.name() + " version");
            return null;
        }
        if (installed == null && rollback) {
            fail(result, name + " is not installed");
            return null;
        }
        if (installed != null && settled && scheme.compare(installed, wanted) == 0) {
            succeed(result, installed, name + " " + wanted + " is already installed");
            return null;
        }
        if (!rollback && installed != null && scheme.compare(wanted, installed) < 0) {
            fail(result, wanted + " is older than the installed " + installed + "; use a rollback to downgrade");
            return null;
        }
        return wanted;
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
