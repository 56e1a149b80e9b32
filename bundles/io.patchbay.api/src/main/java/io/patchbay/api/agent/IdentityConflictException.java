package io.patchbay.api.agent;

/**
 * A check-in refused because another machine already checks in as this device with the same secret (a copy of its
 * disk): 409 over HTTP. The device is flagged; the operator re-enrolls the copy after giving it an identity of its own.
 */
public class IdentityConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IdentityConflictException(String message) {
        super(message);
    }
}
