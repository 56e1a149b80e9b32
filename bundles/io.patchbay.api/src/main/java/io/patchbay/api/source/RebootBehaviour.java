package io.patchbay.api.source;

/** What a device does after an install that needs a restart; a policy's {@code autoReboot} chooses. */
public enum RebootBehaviour {
    /** The device restarts by itself once the job's updates are installed (the policy's {@code autoReboot}). */
    RESTART_WHEN_NEEDED,
    /** The device is not restarted: the restart is left pending, and reported as {@code rebootRequired}. */
    LEAVE_PENDING
}
