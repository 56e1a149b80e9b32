package io.patchbay.rest.internal;

import io.patchbay.api.security.CallerDTO;

/**
 * The caller the authentication filter accepted, for the request this thread serves: the API's resources run on the
 * servlet thread that passed the filter.
 */
final class Callers {
    private static final ThreadLocal<CallerDTO> CURRENT = new ThreadLocal<>();

    private Callers() {
    }

    /** The caller of the request being served, or null outside one (or on /health without credentials). */
    static CallerDTO current() {
        return CURRENT.get();
    }

    static void set(CallerDTO caller) {
        if (caller == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(caller);
        }
    }
}
