package io.patchbay.itest;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling for conditions that become true asynchronously (services, jobs, files). */
final class Await {
    private Await() {
    }

    static <T> T until(String what, Duration limit, Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(25);
        }
    }
}
