package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.TargetSettings;
import io.patchbay.core.internal.JobContextImpl.Stop;

/**
 * The job engine of one node: accepts jobs into the store's queue, and puts together the parts that run them: the
 * {@link Dispatcher} that claims jobs for the {@link LocalExecutor}, the {@link Leases} that renew this node's claims
 * and reap those of nodes and agents that went away, and {@link JobEvents} that tell listeners. Every job is read from
 * the queue; this node keeps in memory only what it runs.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** The reason of a job that was running when the server stopped. */
    static final String SERVER_STOPPED = LocalExecutor.SERVER_STOPPED;
    /** The jobs {@link #list} answers at most, newest first. */
    static final int LISTED = 2_000;

    record Settings(int workers, Duration defaultTimeout, Duration grace, int maxAttempts, int maxUpdatesPerJob,
            int maxPendingJobsPerDevice, Duration lease, String nodeId) {
        Settings(int workers, Duration defaultTimeout, Duration grace, int maxAttempts) {
            this(workers, defaultTimeout, grace, maxAttempts, 1_000, 100, Duration.ofSeconds(30), newNodeId());
        }

        Settings(int workers, Duration defaultTimeout, Duration grace, int maxAttempts, int maxUpdatesPerJob,
                int maxPendingJobsPerDevice) {
            this(workers, defaultTimeout, grace, maxAttempts, maxUpdatesPerJob, maxPendingJobsPerDevice,
                    Duration.ofSeconds(30), newNodeId());
        }
    }

    /** A node id for this process start, when none is configured. */
    static String newNodeId() {
        return "node-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What the runner needs from the rest of the platform. */
    interface Environment {
        Optional<DeviceDTO> device(String id);

        Optional<Host> host(DeviceDTO device);

        Optional<BlockRuleDTO> blocked(UpdateDTO update);

        /** What the device's group and the job's policy set for the source ({@link DeviceSettings}). */
        default TargetSettings settings(DeviceDTO device, String runId) {
            return TargetSettings.defaults();
        }

        /** A job ended; called in the order jobs end, on the runner's event thread. */
        default void jobEnded(JobDTO job) {
        }

        /** Whether the whole server is stopping: a source that leaves now is not coming back in this process. */
        default boolean serverStopping() {
            return false;
        }
    }

    private final Clock clock;
    private final Settings settings;
    private final SourceRegistry registry;
    private final Environment env;
    private final Supplier<JobQueue> queue;
    private final JobEvents events;
    private final BlockListEnforcement enforcement;
    private final LocalExecutor executor;
    private final Dispatcher dispatcher;
    private final Leases leases;
    private final RemoteExecutor remote;
    private final AgentWakeups wakeups;

    JobRunner(Clock clock, Settings settings, SourceRegistry registry, Environment env, Supplier<JobQueue> queue) {
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
        this.env = env;
        this.queue = queue;
        this.events = new JobEvents(env::jobEnded);
        this.enforcement = new BlockListEnforcement(env::blocked);
        Runnable wake = this::wake;
        this.executor = new LocalExecutor(clock, settings, queue, env, enforcement, events, wake);
        this.dispatcher = new Dispatcher(clock, settings, registry, queue, env, executor);
        this.leases = new Leases(clock, settings, queue, executor, events, wake);
        this.wakeups = new AgentWakeups(clock, queue);
        this.remote = new RemoteExecutor(clock, settings, queue, env, enforcement, events, registry, wakeups);
        LOG.info("This server is job node '{}'", settings.nodeId());
        dispatcher.start();
        leases.start();
    }

    private void wake() {
        dispatcher.wake();
    }

    AgentWakeups wakeups() {
        return wakeups;
    }

    RemoteExecutor remote() {
        return remote;
    }

    private JobQueue queue() {
        JobQueue q = queue.get();
        if (q == null) {
            throw new IllegalStateException("the store is not available: jobs cannot be queued or read now");
        }
        return q;
    }

    // ---- the Jobs service ----

    JobDTO submit(JobRequestDTO request) {
        if (request == null) {
            throw new InvalidInputException("body", null, "a job request is required");
        }
        if (request.kind == null) {
            throw new InvalidInputException("kind", null, "must be one of SCAN, INSTALL, ROLLBACK");
        }
        if (blank(request.deviceId)) {
            throw new InvalidInputException("deviceId", request.deviceId, "is required");
        }
        if (blank(request.sourceId)) {
            throw new InvalidInputException("sourceId", request.sourceId, "is required");
        }
        DeviceDTO device = env.device(request.deviceId)
                .orElseThrow(() -> new InvalidInputException("deviceId", request.deviceId, "no such device"));
        if (request.updates != null && request.updates.size() > settings.maxUpdatesPerJob()) {
            throw new InvalidInputException("updates", request.updates.size() + " updates",
                    "a job may name at most " + settings.maxUpdatesPerJob() + " updates; split it into several jobs");
        }
        List<UpdateDTO> updates = request.updates == null ? List.of() : List.copyOf(request.updates);
        if (request.kind != JobKind.SCAN) {
            if (updates.isEmpty()) {
                throw new InvalidInputException("updates", null, "an " + request.kind + " job needs at least one update");
            }
            for (int i = 0; i < updates.size(); i++) {
                UpdateDTO u = updates.get(i);
                if (u == null || blank(u.id)) {
                    throw new InvalidInputException("updates[" + i + "].id", u == null ? null : u.id, "is required");
                }
            }
        }
        Instant now = clock.instant();
        Instant deadline = request.deadline == null ? now.plus(settings.defaultTimeout()) : request.deadline;
        if (!deadline.isAfter(now)) {
            throw new InvalidInputException("deadline", request.deadline, "is already past");
        }
        JobDTO job = new JobDTO();
        job.id = UUID.randomUUID().toString();
        job.kind = request.kind;
        job.deviceId = request.deviceId;
        job.sourceId = request.sourceId;
        job.requested = request.kind == JobKind.SCAN ? null : updates;
        job.createdAt = now;
        job.deadline = deadline;
        job.attempt = 1;
        job.requestedBy = request.requestedBy;
        job.runId = request.runId;
        job.follows = request.follows;
        job.state = JobState.QUEUED;
        if (host(device).isEmpty()) {
            // the device's agent runs it with the sources on the device
            job.state = JobState.WAITING;
            job.reason = Dispatcher.noHost(request.deviceId);
        } else if (registry.active(request.sourceId).isEmpty()) {
            job.state = JobState.WAITING;
            job.reason = "source '" + request.sourceId + "' is not available";
        } else if (executor.drainingSources().contains(request.sourceId)) {
            job.state = JobState.WAITING;
            job.reason = drained(request.sourceId);
        }
        JobDTO queued = queue().enqueue(job, settings.maxPendingJobsPerDevice());
        if (queued.id.equals(job.id)) {
            LOG.info("Job {} queued: {} on device '{}' with source '{}'", job.id, job.kind, job.deviceId,
                    job.sourceId);
        }
        dispatcher.wake();
        // the device's agent, if it waits on this node, claims it now
        wakeups.wake(queued.deviceId);
        return queued;
    }

    Optional<JobDTO> get(String id) {
        JobQueue q = queue.get();
        return q == null ? Optional.empty() : q.get(id);
    }

    List<JobDTO> list() {
        JobQueue q = queue.get();
        return q == null ? List.of() : q.newest(LISTED);
    }

    List<JobDTO> ofRun(String runId) {
        JobQueue q = queue.get();
        return q == null ? List.of() : q.ofRun(runId);
    }

    Optional<JobDTO> await(String id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JobDTO> job = get(id);
            long left = end - System.nanoTime();
            if (job.isEmpty() || job.get().state.isFinal() || left <= 0) {
                return job;
            }
            // an end in this process wakes the wait at once; one on another node is seen within the poll
            events.awaitAnEnd(Math.min(left / 1_000_000, 250));
        }
    }

    boolean cancel(String id, String reason) {
        String why = blank(reason) ? "cancelled by an operator" : reason;
        long ticket = events.reserve();
        Optional<JobDTO> cancelled = Optional.empty();
        try {
            cancelled = queue().cancel(id, why, clock.instant());
        } finally {
            events.deliver(ticket, cancelled.filter(j -> j.state.isFinal()).map(List::of).orElse(List.of()));
        }
        if (cancelled.isEmpty()) {
            return false;
        }
        if (!cancelled.get().state.isFinal()) {
            // running here: stop it now; running elsewhere: its holder hears of it when it renews or reports
            executor.stop(id, Stop.CANCELLED, why);
        }
        return true;
    }

    /**
     * Drains a source for a replacement: its new jobs wait, and this returns once its jobs running here have ended
     * (they finish or reach their deadline) or {@code limit} has passed.
     *
     * @return the number of its jobs still running here
     */
    int drain(String sourceId, Duration limit) throws InterruptedException {
        int running = executor.drain(sourceId, Duration.ZERO);
        JobQueue q = queue.get();
        if (q != null) {
            // what waits says why; the jobs themselves are not claimed here while the drain lasts
            Instant now = clock.instant();
            for (JobDTO job : q.due(Set.of(sourceId), now, 500)) {
                q.waitFor(job.id, JobState.WAITING, drained(sourceId), now, null);
            }
        }
        return running == 0 ? 0 : executor.drain(sourceId, limit);
    }

    private static String drained(String sourceId) {
        return "source '" + sourceId + "' is being drained for a replacement";
    }

    /** Ends a drain: the source's waiting jobs run again. */
    void undrain(String sourceId) {
        executor.undrain(sourceId);
        dispatcher.wake();
    }

    /** For tests of the rule that nothing is called out while a lock is held. */
    boolean holdsLock() {
        return executor.holdsLock();
    }

    Set<String> drainingSources() {
        return executor.drainingSources();
    }

    Map<Long, Integer> runningJobsByServiceId() {
        return executor.runningJobsByServiceId();
    }

    /** One renewal and reaper pass now, for tests. */
    void tickLeases() {
        leases.tick();
    }

    // ---- sources arriving and leaving ----

    void sourceArrived() {
        dispatcher.wake();
    }

    void sourceLeaving(SourceEntry entry) {
        executor.sourceLeaving(entry);
        dispatcher.wake();
    }

    /** Stops claiming, ends the jobs running here INTERRUPTED (retried after a restart), and stops every thread. */
    void close() {
        wakeups.close();
        dispatcher.close();
        leases.close();
        executor.close();
        events.close(settings.grace().toMillis());
    }

    private Optional<Host> host(DeviceDTO device) {
        try {
            return env.host(device);
        } catch (RuntimeException e) {
            LOG.warn("Looking up the host of device '{}' failed", device.id, e);
            return Optional.empty();
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
