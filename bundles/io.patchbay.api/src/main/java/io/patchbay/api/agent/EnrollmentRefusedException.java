package io.patchbay.api.agent;

/** An enrollment refused: the token is wrong, expired, revoked or used up (401 over HTTP; the message says which, without telling a guesser more). */
public class EnrollmentRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnrollmentRefusedException(String message) {
        super(message);
    }
}
