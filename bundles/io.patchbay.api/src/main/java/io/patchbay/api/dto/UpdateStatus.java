package io.patchbay.api.dto;

/** What happened to one update in a job. */
public enum UpdateStatus {
    SUCCEEDED,
    FAILED,
    /** The job stopped before this update finished: cancelled, out of time, or its source left. */
    INTERRUPTED,
    /** A block rule forbids it; the source was never asked to install it. */
    BLOCKED,
    /** Selected, but the job ended before it was tried. */
    NOT_ATTEMPTED,
    /** Known, but left out by the policy or the request. */
    NOT_SELECTED
}
