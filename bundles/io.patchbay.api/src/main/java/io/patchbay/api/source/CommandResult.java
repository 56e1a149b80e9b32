package io.patchbay.api.source;

/** What a command did: its exit code and what it printed. */
public final class CommandResult {
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final boolean timedOut;

    public CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.timedOut = timedOut;
    }

    public int exitCode() {
        return exitCode;
    }

    public String stdout() {
        return stdout;
    }

    public String stderr() {
        return stderr;
    }

    /** True when the command was killed because its time limit passed. */
    public boolean timedOut() {
        return timedOut;
    }

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + (timedOut ? " (timed out)" : "");
    }
}
