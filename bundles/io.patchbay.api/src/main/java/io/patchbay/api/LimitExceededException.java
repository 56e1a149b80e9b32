package io.patchbay.api;

/**
 * A request that is well formed but would take more than the server allows at once (for example too many jobs still
 * pending on one device); the same request may succeed later. The REST API answers 429 Too Many Requests.
 */
public class LimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String limit;
    private final int maximum;

    /**
     * @param limit the name of the limit, as its configuration property spells it
     * @param maximum the configured maximum
     * @param message what was refused and why, for the user
     */
    public LimitExceededException(String limit, int maximum, String message) {
        super(message);
        this.limit = limit;
        this.maximum = maximum;
    }

    /** The name of the limit that was reached, as its configuration property spells it. */
    public String limit() {
        return limit;
    }

    /** The configured maximum. */
    public int maximum() {
        return maximum;
    }
}
