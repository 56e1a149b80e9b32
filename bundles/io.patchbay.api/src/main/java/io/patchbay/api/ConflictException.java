package io.patchbay.api;

/** A change made against a version of an object that is no longer current: somebody else changed it first. */
public class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long currentVersion;

    public ConflictException(String what, String id, long expected, long current) {
        super(what + " '" + id + "' is at version " + current + ", not " + expected
                + "; it was changed by someone else: read it again and reapply your change");
        this.currentVersion = current;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
