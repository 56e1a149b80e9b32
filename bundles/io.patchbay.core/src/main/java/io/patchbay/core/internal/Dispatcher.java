package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.source.Host;

/**
 * Claims jobs from the queue for the local executor, on one thread of its own: only jobs whose source is present and
 * not drained here, and whose device has a host this server reaches (the server's own machine, folder-rooted
 * devices). Jobs of other devices wait for their agent, saying so. It runs when asked ({@link #wake}) and every
 * second, so that jobs queued on other nodes and hosts that appear are picked up too.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** How long a device without a host here is left alone before it is looked at again. */
    static final Duration RECHECK = Duration.ofSeconds(2);
    /** Set when the device has no host this server reaches: its jobs wait for the device's agent. */
    static String noHost(String deviceId) {
        return "device '" + deviceId + "' has no reachable host on this server; the job waits for the device's "
                + "agent to claim it";
    }

    private final Clock clock;
    private final JobRunner.Settings settings;
    private final SourceRegistry registry;
    private final Supplier<JobQueue> queue;
    private final JobRunner.Environment env;
    private final LocalExecutor executor;
    private final Thread thread;
    private final Object signal = new Object();
    private boolean wanted;
    private volatile boolean closed;

    Dispatcher(Clock clock, JobRunner.Settings settings, SourceRegistry registry, Supplier<JobQueue> queue,
            JobRunner.Environment env, LocalExecutor executor) {
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
        this.queue = queue;
        this.env = env;
        this.executor = executor;
        this.thread = Threads.named("patchbay-job-dispatcher-").newThread(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Asks for a pass soon: a job was queued or ended, a source arrived or resumed. */
    void wake() {
        synchronized (signal) {
            wanted = true;
            signal.notifyAll();
        }
    }

    void close() {
        closed = true;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                synchronized (signal) {
                    if (!wanted) {
                        signal.wait(1_000);
                    }
                    wanted = false;
                }
                if (!closed) {
                    pass();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the store may be away for a moment; the next pass tries again
                LOG.warn("Dispatching jobs failed: {}", e.toString());
                LOG.debug("Dispatching jobs failed", e);
            }
        }
    }

    /** One round: claim as many due jobs as there are free workers. */
    void pass() {
        JobQueue q = queue.get();
        int free = executor.free();
        if (q == null || free <= 0) {
            return;
        }
        SourceRegistry.Snapshot sources = registry.snapshot();
        Set<String> present = new HashSet<>(sources.activeIds());
        present.removeAll(executor.drainingSources());
        if (present.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<JobDTO> due = q.due(present, now, free * 4 + 8);
        Set<String> devicesTaken = new HashSet<>();
        for (JobDTO job : due) {
            if (free <= 0 || closed) {
                break;
            }
            if (!devicesTaken.add(job.deviceId)) {
                continue;
            }
            Optional<SourceEntry> entry = sources.active(job.sourceId);
            Optional<DeviceDTO> device = env.device(job.deviceId);
            Host host = device.map(this::host).orElse(null);
            if (device.isPresent() && host == null) {
                q.waitFor(job.id, JobState.WAITING, noHost(job.deviceId), now, now.plus(RECHECK));
                continue;
            }
            if (entry.isEmpty()) {
                continue;
            }
            Optional<JobClaimDTO> claim = q.claim(job.id, settings.nodeId(), now, now.plus(settings.lease()));
            if (claim.isEmpty()) {
                continue;
            }
            free--;
            if (device.isEmpty()) {
                executor.deviceGone(claim.get());
            } else {
                executor.start(claim.get(), entry.get(), device.get(), host);
            }
        }
    }

    private Host host(DeviceDTO device) {
        try {
            return env.host(device).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("Looking up the host of device '{}' failed", device.id, e);
            return null;
        }
    }
}
