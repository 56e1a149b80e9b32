package io.patchbay.api;

/** An object cannot be deleted because others still refer to it. */
public class InUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InUseException(String message) {
        super(message);
    }
}
