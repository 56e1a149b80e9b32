package io.patchbay.api.security;

/** What a caller may do. Each person's role includes the ones below it; a device is apart from them. */
public enum Role {
    /** Reads everything (GET). */
    READ_ONLY,
    /** Also changes devices, groups, policies, runs, jobs and the block list. */
    OPERATOR,
    /** Also replaces plugins, drains sources and manages tokens and device secrets. */
    ADMIN,
    /** A device's agent: its own agent endpoints, nothing else. */
    DEVICE;

    /** Whether a caller with this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        if (this == DEVICE || needed == DEVICE) {
            return this == needed;
        }
        return ordinal() >= needed.ordinal();
    }
}
