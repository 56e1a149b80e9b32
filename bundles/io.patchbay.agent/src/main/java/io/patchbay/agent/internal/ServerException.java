package io.patchbay.agent.internal;

import java.time.Duration;

/**
 * A call to the server that did not succeed: {@link #status} 0 when the server could not be reached, otherwise the
 * HTTP status with the problem's detail.
 */
final class ServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String detail;
    /** From a {@code Retry-After} header, or null. */
    final transient Duration retryAfter;

    ServerException(int status, String detail, Duration retryAfter) {
        super(status == 0 ? detail : "HTTP " + status + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    /** Unreachable, or a 5xx: worth trying again after a backoff. */
    boolean transientFailure() {
        return status == 0 || status >= 500 || status == 429 || status == 408;
    }
}
