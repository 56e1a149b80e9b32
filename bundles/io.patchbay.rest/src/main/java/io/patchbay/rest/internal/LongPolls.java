package io.patchbay.rest.internal;

import java.util.concurrent.Semaphore;

/**
 * The requests that may wait at once ({@code waitSeconds} on a job or a drain). Each waiting request holds one of
 * Jetty's threads; beyond this bound a request answers at once with the current state, so that waits can never take
 * every thread and leave the server unable to answer anything else (health checks included).
 */
final class LongPolls {
    static final int MAX_WAITING = 32;
    private static final Semaphore WAITING = new Semaphore(MAX_WAITING);

    private LongPolls() {
    }

    /** What a wait gives back; thrown out of it like the wait itself. */
    @FunctionalInterface
    interface Wait<T> {
        T run() throws InterruptedException;
    }

    /** Runs {@code wait} if a place to wait is free, otherwise {@code now}, without blocking for the place. */
    static <T> T waitOrNow(Wait<T> wait, Wait<T> now) throws InterruptedException {
        if (!WAITING.tryAcquire()) {
            return now.run();
        }
        try {
            return wait.run();
        } finally {
            WAITING.release();
        }
    }
}
