package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.queue.JobQueue;

/**
 * Agents waiting for a job (long polls), woken without polling the store for each: a job queued or released on this
 * node wakes its device's waiting agents at once, and once a second one query asks the store which waiting devices
 * have a job due (queued on another node, or due now after a not-before time).
 */
final class AgentWakeups {
    private static final Logger LOG = LoggerFactory.getLogger(AgentWakeups.class);
    static final Duration POLL = Duration.ofSeconds(1);

    /** A device's waiting agents: a count of wake-ups they compare against, and how many wait. */
    private static final class Signal {
        long wakeups;
        int waiting;
    }

    /** A claim as the waiting loop makes it. */
    interface Claim {
        Optional<JobClaimDTO> now();
    }

    private final Map<String, Signal> waiting = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Supplier<JobQueue> queue;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Threads.named("patchbay-agent-wakeups-"));

    AgentWakeups(Clock clock, Supplier<JobQueue> queue) {
        this.clock = clock;
        this.queue = queue;
        poller.scheduleWithFixedDelay(this::pollQuietly, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Claims now, or waits until the device is woken and claims again, until {@code wait} has passed. */
    Optional<JobClaimDTO> claim(String deviceId, Duration wait, Claim claim) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        Signal signal = waiting.compute(deviceId, (id, s) -> {
            Signal mine = s == null ? new Signal() : s;
            synchronized (mine) {
                mine.waiting++;
            }
            return mine;
        });
        try {
            while (true) {
                long seen;
                synchronized (signal) {
                    seen = signal.wakeups;
                }
                // claimed after the count was read: a wake-up in between is not missed
                Optional<JobClaimDTO> claimed = claim.now();
                long left = end - System.nanoTime();
                if (claimed.isPresent() || left <= 0) {
                    return claimed;
                }
                synchronized (signal) {
                    while (signal.wakeups == seen && left > 0) {
                        TimeUnit.NANOSECONDS.timedWait(signal, left);
                        left = end - System.nanoTime();
                    }
                }
            }
        } finally {
            waiting.computeIfPresent(deviceId, (id, s) -> {
                synchronized (s) {
                    s.waiting--;
                    return s.waiting <= 0 ? null : s;
                }
            });
        }
    }

    /** Wakes the agents of a device that wait, if any. */
    void wake(String deviceId) {
        if (deviceId == null) {
            return;
        }
        Signal s = waiting.get(deviceId);
        if (s != null) {
            synchronized (s) {
                s.wakeups++;
                s.notifyAll();
            }
        }
    }

    int waiting() {
        return waiting.size();
    }

    private void pollQuietly() {
        try {
            if (waiting.isEmpty()) {
                return;
            }
            JobQueue q = queue.get();
            if (q == null) {
                return;
            }
            Set<String> due = q.devicesWithDueJobs(List.copyOf(waiting.keySet()), clock.instant());
            due.forEach(this::wake);
        } catch (RuntimeException e) {
            LOG.debug("Waiting agents could not be checked for due jobs now: {}", e.toString());
        }
    }

    void close() {
        poller.shutdownNow();
        // waiting agents answer now, with what is due
        waiting.keySet().forEach(this::wake);
    }
}
