package io.patchbay.agent.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter while the server is unreachable or answers 5xx: the n-th failure in a row waits
 * between half and all of {@code min(cap, base * 2^(n-1))} ("equal jitter"), so a fleet that lost its server does not
 * come back in one wave.
 */
final class Backoff {
    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The wait after one more failure. */
    Duration failed() {
        failures = Math.min(failures + 1, 62);
        long ceiling = base.toMillis();
        for (int i = 1; i < failures && ceiling < cap.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, cap.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    void succeeded() {
        failures = 0;
    }

    int failures() {
        return failures;
    }

    /** The wait until the next regular check-in: the interval plus up to {@code jitter} at random. */
    static Duration interval(int seconds, int jitterSeconds, DoubleSupplier random) {
        long s = Math.max(1, seconds);
        long j = Math.max(0, jitterSeconds);
        return Duration.ofMillis(s * 1000 + (long) (random.getAsDouble() * j * 1000));
    }
}
