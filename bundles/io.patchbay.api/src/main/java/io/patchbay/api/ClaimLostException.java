package io.patchbay.api;

/** A report or progress from an executor that no longer holds the job's claim: its lease ran out or the job ended. */
public class ClaimLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClaimLostException(String message) {
        super(message);
    }
}
