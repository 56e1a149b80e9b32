package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.queue.JobStopDTO;
import io.patchbay.core.internal.JobContextImpl.Stop;

/**
 * The node's leases, on one thread: renews the lease of every job this node runs (and hears of stops asked of them on
 * other nodes), and reaps: ends the jobs whose holder stopped renewing (another node that died, an agent that went
 * quiet) INTERRUPTED and retried under the policy, and those past their deadline TIMED_OUT.
 */
final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    private final Clock clock;
    private final JobRunner.Settings settings;
    private final Supplier<JobQueue> queue;
    private final LocalExecutor executor;
    private final JobEvents events;
    private final Runnable wake;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Threads.named("patchbay-job-leases-"));

    Leases(Clock clock, JobRunner.Settings settings, Supplier<JobQueue> queue, LocalExecutor executor,
            JobEvents events, Runnable wake) {
        this.clock = clock;
        this.settings = settings;
        this.queue = queue;
        this.executor = executor;
        this.events = events;
        this.wake = wake;
    }

    void start() {
        long period = Math.max(100, settings.lease().toMillis() / 3);
        thread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One renewal and one reaper pass; also run by tests. */
    void tick() {
        try {
            JobQueue q = queue.get();
            if (q == null) {
                return;
            }
            Instant now = clock.instant();
            java.util.Set<String> held = executor.heldIds();
            for (JobStopDTO stop : q.renew(settings.nodeId(), held, now.plus(settings.lease()))) {
                executor.stop(stop.jobId, stop.state == JobState.TIMED_OUT ? Stop.TIMED_OUT : Stop.CANCELLED,
                        stop.reason);
            }
            long ticket = events.reserve();
            List<JobDTO> reaped = List.of();
            try {
                reaped = q.reap(held, now, now.minus(settings.grace().multipliedBy(2)).minus(settings.lease()),
                        settings.maxAttempts());
            } finally {
                events.deliver(ticket, reaped);
            }
            if (!reaped.isEmpty()) {
                wake.run();
            }
        } catch (RuntimeException e) {
            // the store may be away for a moment; the next tick tries again
            LOG.warn("Renewing and reaping job leases failed: {}", e.toString());
            LOG.debug("Renewing and reaping job leases failed", e);
        }
    }
}
