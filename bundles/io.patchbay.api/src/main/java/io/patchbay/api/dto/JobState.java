package io.patchbay.api.dto;

/** Life cycle of a job. QUEUED and WAITING may become RUNNING; every other state after RUNNING is final. */
public enum JobState {
    /** Accepted; waits for its turn on the device. */
    QUEUED,
    /** Cannot start yet: the source or the device's host is not available; the reason says which. */
    WAITING,
    RUNNING,
    SUCCEEDED,
    /** The source failed, or at least one update failed. */
    FAILED,
    /** Stopped from outside while running: its source left or the server stopped. */
    INTERRUPTED,
    /** Cancelled by an operator. */
    CANCELLED,
    /** The deadline (end of the maintenance window, or the job timeout) passed. */
    TIMED_OUT;

    public boolean isFinal() {
        return this != QUEUED && this != WAITING && this != RUNNING;
    }
}
