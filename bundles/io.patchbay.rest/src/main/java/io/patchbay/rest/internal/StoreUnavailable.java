package io.patchbay.rest.internal;

/** The store is not there (starting, or refused its database): nothing to be kept can be accepted. Answered 503. */
final class StoreUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailable() {
        super("The store is not available, so nothing can be read from it or kept in it now; GET /api/v1/health says "
                + "when it is back, and the server log says why it is missing");
    }
}
