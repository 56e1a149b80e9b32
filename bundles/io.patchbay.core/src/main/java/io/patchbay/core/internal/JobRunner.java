package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.TargetSettings;
import io.patchbay.api.source.UpdateSource;
import io.patchbay.core.internal.JobContextImpl.Stop;

/**
 * The job queue and its workers: dispatches queued jobs to threads it owns, one job per device at a time, and is the
 * one place that calls plugin code: every call goes through {@link #invoke}, which captures what the plugin throws.
 * Plugin code is never called while the runner's lock is held.
 */
final class JobRunner implements JobContextImpl.JobSink {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** The reason of a job that was running when the server stopped. */
    static final String SERVER_STOPPED = "the server stopped while the job ran";

    record Settings(int workers, Duration defaultTimeout, Duration grace, int maxAttempts, int keepFinished,
            int maxUpdatesPerJob, int maxPendingJobsPerDevice) {
        Settings(int workers, Duration defaultTimeout, Duration grace, int maxAttempts, int keepFinished) {
            this(workers, defaultTimeout, grace, maxAttempts, keepFinished, 1_000, 100);
        }
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

    private record JobTarget(DeviceDTO device, Host host, TargetSettings settings) implements Target {
    }

    /** What the plugin call produced: found updates, results, or what it threw. */
    private record Outcome(List<UpdateDTO> found, Map<String, UpdateResultDTO> results, Throwable failure) {
    }

    private final Object lock = new Object();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Set<String> busyDevices = new HashSet<>();
    /** Source ids being drained for a replacement: their new jobs wait. */
    private final Set<String> draining = new HashSet<>();
    private final Clock clock;
    private final Settings settings;
    private final SourceRegistry registry;
    private final Environment env;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final java.util.concurrent.ExecutorService events;
    private boolean closed;

    JobRunner(Clock clock, Settings settings, SourceRegistry registry, Environment env) {
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
        this.env = env;
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("patchbay-job-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(named("patchbay-job-timer-"));
        this.events = Executors.newSingleThreadExecutor(named("patchbay-job-events-"));
        // waiting jobs start when their host appears, and time out when their window ends, without anyone asking
        timer.scheduleWithFixedDelay(this::dispatch, 2, 2, TimeUnit.SECONDS);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
        if (env.device(request.deviceId).isEmpty()) {
            throw new InvalidInputException("deviceId", request.deviceId, "no such device");
        }
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
        Job job = new Job(UUID.randomUUID().toString(), request.kind, request.deviceId, request.sourceId,
                request.kind == JobKind.SCAN ? null : updates, now, deadline, 1, null, request.requestedBy,
                request.runId);
        JobDTO dto;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the job runner is stopped");
            }
            long pending = jobs.values().stream()
                    .filter(j -> !j.state.isFinal() && j.deviceId.equals(request.deviceId)).count();
            if (pending >= settings.maxPendingJobsPerDevice()) {
                throw new LimitExceededException("maxPendingJobsPerDevice", settings.maxPendingJobsPerDevice(),
                        "deviceId: device '" + request.deviceId + "' already has " + pending
                                + " jobs that have not ended (at most " + settings.maxPendingJobsPerDevice()
                                + "); submit more once some have ended");
            }
            job.addLog(now, "queued: " + request.kind + " on device '" + request.deviceId + "' with source '"
                    + request.sourceId + "'");
            jobs.put(job.id, job);
            dto = job.toDTO();
        }
        LOG.info("Job {} queued: {} on device '{}' with source '{}'", job.id, job.kind, job.deviceId, job.sourceId);
        dispatch();
        return get(job.id).orElse(dto);
    }

    Optional<JobDTO> get(String id) {
        synchronized (lock) {
            Job job = jobs.get(id);
            return job == null ? Optional.empty() : Optional.of(job.toDTO());
        }
    }

    List<JobDTO> list() {
        synchronized (lock) {
            List<JobDTO> all = new ArrayList<>(jobs.size());
            jobs.values().forEach(j -> all.add(j.toDTO()));
            all.sort(Comparator.comparing((JobDTO j) -> j.createdAt).reversed());
            return all;
        }
    }

    Optional<JobDTO> await(String id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Job job = jobs.get(id);
                if (job == null) {
                    return Optional.empty();
                }
                long left = end - System.nanoTime();
                if (job.state.isFinal() || left <= 0) {
                    return Optional.of(job.toDTO());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    boolean cancel(String id, String reason) {
        String why = blank(reason) ? "cancelled by an operator" : reason;
        JobContextImpl context;
        synchronized (lock) {
            Job job = jobs.get(id);
            if (job == null || job.state.isFinal()) {
                return false;
            }
            if (job.state != JobState.RUNNING) {
                end(job, JobState.CANCELLED, why);
                return true;
            }
            context = job.context;
            context.stop(Stop.CANCELLED, why);
            job.addLog(clock.instant(), "cancel requested: " + why);
        }
        interruptAfterGrace(id, context);
        return true;
    }

    /**
     * Drains a source for a replacement: its new jobs wait, and this returns once its running jobs have ended (they
     * finish or reach their deadline) or {@code limit} has passed.
     *
     * @return the number of its jobs still running
     */
    int drain(String sourceId, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            draining.add(sourceId);
            while (true) {
                long running = jobs.values().stream()
                        .filter(j -> j.state == JobState.RUNNING && sourceId.equals(j.sourceId)).count();
                long left = end - System.nanoTime();
                if (running == 0 || left <= 0) {
                    return (int) running;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Ends a drain: the source's waiting jobs run again. */
    void undrain(String sourceId) {
        synchronized (lock) {
            draining.remove(sourceId);
        }
        dispatch();
    }

    /** For tests of the rule that nothing is called out while the lock is held. */
    boolean holdsLock() {
        return Thread.holdsLock(lock);
    }

    /** The source ids being drained now, as a value. */
    Set<String> drainingSources() {
        synchronized (lock) {
            return Set.copyOf(draining);
        }
    }

    /** Running jobs per source service id now, as a value for the registry's view. */
    Map<Long, Integer> runningJobsByServiceId() {
        Map<Long, Integer> running = new HashMap<>();
        synchronized (lock) {
            for (Job j : jobs.values()) {
                if (j.state == JobState.RUNNING) {
                    running.merge(j.sourceServiceId, 1, Integer::sum);
                }
            }
        }
        return running;
    }

    // ---- sources arriving and leaving ----

    void sourceArrived() {
        dispatch();
    }

    /**
     * A source service is going away: its running jobs are asked to stop and fenced at once, get a bounded time to
     * return, and are interrupted after that. Called on the thread that unregisters the service, so the plugin's
     * bundle does not stop under a job that is still in its code, unless the job ignores both requests.
     */
    void sourceLeaving(SourceEntry entry) {
        // asked before the lock is taken; a stop of the server ends the job for good, a swap retries it
        boolean serverStopping = env.serverStopping();
        List<Job> affected = new ArrayList<>();
        synchronized (lock) {
            for (Job job : jobs.values()) {
                if (job.state == JobState.RUNNING && job.sourceServiceId == entry.serviceId()) {
                    if (serverStopping) {
                        job.context.stop(Stop.SHUTDOWN, SERVER_STOPPED);
                        job.addLog(clock.instant(), entry.describe() + " left as the server stops; the job is "
                                + "interrupted");
                    } else {
                        job.context.stop(Stop.SOURCE_LEFT, entry.describe() + " left while the job ran");
                        job.addLog(clock.instant(), entry.describe() + " left; the job is interrupted");
                    }
                    job.context.fence();
                    affected.add(job);
                }
            }
        }
        if (!affected.isEmpty()) {
            LOG.info("{} left{} with {} running job(s); stopping them", entry.describe(),
                    serverStopping ? " as the server stops" : "", affected.size());
            stopWithin(affected);
        }
        dispatch();
    }

    void close() {
        List<Job> running = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            for (Job job : jobs.values()) {
                if (job.state == JobState.RUNNING) {
                    job.context.stop(Stop.SHUTDOWN, SERVER_STOPPED);
                    job.context.fence();
                    running.add(job);
                }
            }
        }
        stopWithin(running);
        timer.shutdownNow();
        workers.shutdownNow();
        events.shutdown();
        try {
            events.awaitTermination(settings.grace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits a grace period for asked-to-stop jobs, interrupts what still runs, and gives up on what still runs then. */
    private void stopWithin(List<Job> affected) {
        Map<Job, JobContextImpl> contexts = new LinkedHashMap<>();
        synchronized (lock) {
            affected.stream().filter(j -> j.context != null).forEach(j -> contexts.put(j, j.context));
        }
        try {
            if (!awaitNotRunning(affected, settings.grace())) {
                contexts.forEach(this::interrupt);
                if (!awaitNotRunning(affected, settings.grace())) {
                    contexts.forEach(this::abandon);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitNotRunning(List<Job> affected, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (affected.stream().anyMatch(j -> j.state == JobState.RUNNING)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** After a stop request: interrupt the worker after one grace period, give the job up after a second. */
    private void interruptAfterGrace(String jobId, JobContextImpl context) {
        long grace = settings.grace().toMillis();
        try {
            timer.schedule(() -> {
                Job job;
                synchronized (lock) {
                    job = jobs.get(jobId);
                }
                if (job != null) {
                    interrupt(job, context);
                }
            }, grace, TimeUnit.MILLISECONDS);
            timer.schedule(() -> {
                Job job;
                synchronized (lock) {
                    job = jobs.get(jobId);
                }
                if (job != null) {
                    abandon(job, context);
                }
            }, 2 * grace, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // runner closing: close() interrupts what is left
        }
    }

    /** Interrupts the worker of a job still running under {@code context}; the interrupt happens outside the lock. */
    private void interrupt(Job job, JobContextImpl context) {
        Thread worker;
        synchronized (lock) {
            if (context == null || job.context != context || job.state != JobState.RUNNING || job.worker == null) {
                return;
            }
            worker = job.worker;
            job.addLog(clock.instant(), "the source did not stop within " + settings.grace() + "; interrupting it");
        }
        LOG.warn("Job {} did not stop within {}; interrupting it", job.id, settings.grace());
        worker.interrupt();
    }

    /**
     * Ends a job whose source ignored both the stop request and the interrupt, so that its device is free again and
     * plugin code holds no job beyond its deadline plus two grace periods. Its worker is left to the plugin; the pool
     * gets one more thread until that worker comes back.
     */
    private void abandon(Job job, JobContextImpl context) {
        synchronized (lock) {
            if (context == null || job.context != context || job.state != JobState.RUNNING) {
                return;
            }
            context.fence();
            job.abandoned = true;
            Stop stop = context.stopped();
            String why = context.cancelReason() + "; the source did not return after being interrupted";
            JobState state = stop == Stop.CANCELLED ? JobState.CANCELLED
                    : stop == Stop.TIMED_OUT ? JobState.TIMED_OUT : JobState.INTERRUPTED;
            if (job.kind != JobKind.SCAN && job.allowed != null) {
                job.results = merge(job.blockedResults, job.allowed, Map.of(), UpdateStatus.INTERRUPTED, why);
            }
            end(job, state, why);
            if (stop == Stop.SOURCE_LEFT) {
                retry(job);
            }
        }
        LOG.error("Job {}: its source still runs after being interrupted; the job is ended and its worker thread "
                + "left to the source", job.id);
        resizeWorkers(+1);
    }

    private void resizeWorkers(int delta) {
        synchronized (workers) {
            int size = workers.getCorePoolSize() + delta;
            if (delta > 0) {
                workers.setMaximumPoolSize(size);
                workers.setCorePoolSize(size);
            } else {
                workers.setCorePoolSize(size);
                workers.setMaximumPoolSize(size);
            }
        }
    }

    // ---- dispatching and running ----

    void dispatch() {
        List<Job> toStart = new ArrayList<>();
        // read before taking the lock: nothing is called while it is held
        SourceRegistry.Snapshot sources = registry.snapshot();
        synchronized (lock) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            for (Job job : jobs.values()) {
                if (job.state.isFinal() || job.state == JobState.RUNNING) {
                    continue;
                }
                if (job.claimed) {
                    // a worker is still getting the device, host or source service ready (plugin activation included)
                    if (!now.isBefore(job.deadline)) {
                        end(job, JobState.TIMED_OUT, "the deadline " + job.deadline
                                + " passed while the job was being started");
                    }
                    continue;
                }
                if (!now.isBefore(job.deadline)) {
                    end(job, JobState.TIMED_OUT, "the deadline " + job.deadline + " passed before the job could start");
                } else if (busyDevices.contains(job.deviceId)) {
                    wait(job, JobState.QUEUED, "waits for another job on device '" + job.deviceId + "'");
                } else if (sources.active(job.sourceId).isEmpty()) {
                    wait(job, JobState.WAITING, "source '" + job.sourceId + "' is not available");
                } else if (draining.contains(job.sourceId)) {
                    wait(job, JobState.WAITING, "source '" + job.sourceId + "' is being drained for a replacement");
                } else {
                    busyDevices.add(job.deviceId);
                    job.claimed = true;
                    toStart.add(job);
                }
            }
            trim();
        }
        for (Job job : toStart) {
            try {
                workers.execute(() -> run(job));
            } catch (RejectedExecutionException e) {
                synchronized (lock) {
                    release(job);
                }
            }
        }
    }

    private void run(Job job) {
        SourceEntry.Lease lease = null;
        JobContextImpl context = null;
        try {
            DeviceDTO device = env.device(job.deviceId).orElse(null);
            if (device == null) {
                synchronized (lock) {
                    end(job, JobState.FAILED, "device '" + job.deviceId + "' no longer exists");
                }
                return;
            }
            Host host = findHost(device);
            if (host == null) {
                requeue(job, "device '" + job.deviceId + "' has no reachable host");
                return;
            }
            TargetSettings settings;
            try {
                settings = env.settings(device, job.runId);
            } catch (RuntimeException e) {
                requeue(job, "the settings of device '" + job.deviceId + "' cannot be read: " + e.getMessage());
                return;
            }
            SourceEntry entry = registry.active(job.sourceId).orElse(null);
            lease = entry == null ? null : entry.acquirer().acquire();
            if (lease == null || lease.source() == null) {
                requeue(job, "source '" + job.sourceId + "' is not available");
                return;
            }
            List<UpdateDTO> allowed = new ArrayList<>();
            List<UpdateResultDTO> blocked = new ArrayList<>();
            if (job.kind == JobKind.INSTALL) {
                for (UpdateDTO u : job.requested) {
                    UpdateDTO withSource = stamped(u, entry);
                    Optional<BlockRuleDTO> rule = env.blocked(withSource);
                    if (rule.isPresent()) {
                        blocked.add(result(u, UpdateStatus.BLOCKED, "blocked by rule " + rule.get().id
                                + (blank(rule.get().reason) ? "" : ": " + rule.get().reason)));
                    } else {
                        allowed.add(withSource);
                    }
                }
            } else if (job.kind == JobKind.ROLLBACK) {
                job.requested.forEach(u -> allowed.add(stamped(u, entry)));
            }
            synchronized (lock) {
                if (job.state.isFinal()) {
                    release(job);
                    return;
                }
                Instant now = clock.instant();
                context = new JobContextImpl(job, job.deadline, this);
                job.context = context;
                job.worker = Thread.currentThread();
                job.state = JobState.RUNNING;
                job.reason = null;
                job.startedAt = now;
                job.sourceType = entry.type();
                job.sourceBundle = entry.bundle();
                job.sourceBundleVersion = entry.bundleVersion();
                job.sourceServiceId = entry.serviceId();
                job.allowed = List.copyOf(allowed);
                job.blockedResults = List.copyOf(blocked);
                job.addLog(now, "started with " + entry.describe());
                blocked.forEach(b -> job.addLog(now, b.updateId + ": " + b.message));
            }
            scheduleDeadline(job, context);
            Outcome outcome = (job.kind != JobKind.SCAN && allowed.isEmpty()) ? new Outcome(null, Map.of(), null)
                    : invoke(job.kind, lease.source(), new JobTarget(device, host, settings), allowed, context, entry);
            finish(job, context, entry, allowed, blocked, outcome);
        } catch (RuntimeException | Error e) {
            // a defect of the runner itself: the job must still end, and the device be freed
            LOG.error("Job {} failed inside the job runner", job.id, e);
            synchronized (lock) {
                if (!job.state.isFinal()) {
                    end(job, JobState.FAILED, "internal error: " + e);
                }
            }
        } finally {
            if (lease != null) {
                closeQuietly(lease);
            }
            Thread.interrupted();
            boolean abandoned;
            synchronized (lock) {
                abandoned = job.abandoned && context != null;
            }
            if (abandoned) {
                LOG.warn("Job {}: the source returned long after the job was given up; its result is dropped", job.id);
                resizeWorkers(-1);
            }
            dispatch();
        }
    }

    private Host findHost(DeviceDTO device) {
        try {
            return env.host(device).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("Looking up the host of device '{}' failed", device.id, e);
            return null;
        }
    }

    /**
     * The one guarded path into plugin code. What the plugin returns is copied into the core's own objects here, on
     * the worker, so that nothing the plugin handed over is touched later, under a lock or on another thread.
     */
    private Outcome invoke(JobKind kind, UpdateSource source, Target target, List<UpdateDTO> updates,
            JobContextImpl context, SourceEntry entry) {
        try {
            return switch (kind) {
            case SCAN -> new Outcome(found(source.scan(target, context), entry), null, null);
            case INSTALL -> new Outcome(null, returned(source.install(target, List.copyOf(updates), context)), null);
            case ROLLBACK -> new Outcome(null, returned(source.rollback(target, List.copyOf(updates), context)),
                    null);
            };
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            return new Outcome(null, null, e);
        }
    }

    private static List<UpdateDTO> found(List<UpdateDTO> scanned, SourceEntry entry) {
        if (scanned == null) {
            return null;
        }
        List<UpdateDTO> out = new ArrayList<>();
        for (UpdateDTO u : scanned) {
            if (u != null) {
                out.add(stamped(u, entry));
            }
        }
        return out;
    }

    /** The source's results by update id, the first for each id, copied. */
    private static Map<String, UpdateResultDTO> returned(List<UpdateResultDTO> results) {
        Map<String, UpdateResultDTO> out = new LinkedHashMap<>();
        if (results != null) {
            for (UpdateResultDTO r : results) {
                if (r != null && r.updateId != null) {
                    out.putIfAbsent(r.updateId, copy(r));
                }
            }
        }
        return out;
    }

    /** What the source reported, checked against the block list: everything here runs before the lock is taken. */
    private record Checked(List<UpdateDTO> found, String failure, String violation) {
    }

    private Checked check(Job job, JobContextImpl context, SourceEntry entry, List<UpdateDTO> allowed,
            Outcome outcome) {
        if (outcome.failure() != null) {
            Throwable t = outcome.failure();
            String message = t instanceof CancellationException ? "the source stopped without being asked"
                    : describe(t);
            if (context.stopped() == null) {
                LOG.warn("Job {}: {} failed: {}", job.id, entry.describe(), message, t);
            }
            return new Checked(null, message, null);
        }
        List<UpdateDTO> found = null;
        if (outcome.found() != null) {
            found = new ArrayList<>(outcome.found().size());
            for (UpdateDTO u : outcome.found()) {
                u.blockedBy = env.blocked(u).map(r -> r.id).orElse(null);
                found.add(u);
            }
        }
        String violation = null;
        if (job.kind == JobKind.INSTALL && outcome.results() != null) {
            for (UpdateResultDTO r : outcome.results().values()) {
                if (r.status != UpdateStatus.SUCCEEDED) {
                    continue;
                }
                UpdateDTO probe = new UpdateDTO();
                probe.id = r.updateId;
                probe.title = r.title;
                probe.sourceType = entry.type();
                probe.sourceId = entry.id();
                allowed.stream().filter(u -> u.id.equals(r.updateId)).findFirst().ifPresent(u -> {
                    probe.name = u.name;
                    probe.kb = u.kb;
                    probe.version = u.version;
                });
                Optional<BlockRuleDTO> rule = env.blocked(probe);
                if (rule.isPresent()) {
                    violation = "the source installed '" + r.updateId + "', which block rule " + rule.get().id
                            + " forbids";
                    break;
                }
            }
        }
        return new Checked(found, null, violation);
    }

    private void finish(Job job, JobContextImpl context, SourceEntry entry, List<UpdateDTO> allowed,
            List<UpdateResultDTO> blocked, Outcome outcome) {
        Checked checked = check(job, context, entry, allowed, outcome);
        synchronized (lock) {
            if (job.context != context || job.state.isFinal()) {
                // given up while the source still ran: the job has ended already
                context.fence();
                return;
            }
            // whatever the plugin does from now on is dropped
            boolean lateReturn = context.isFenced();
            context.fence();
            Stop stop = context.stopped();
            Instant now = clock.instant();
            if (stop == Stop.SOURCE_LEFT || stop == Stop.SHUTDOWN || lateReturn) {
                job.results = job.kind == JobKind.SCAN ? null
                        : merge(blocked, allowed, Map.of(), UpdateStatus.INTERRUPTED, context.cancelReason());
                end(job, JobState.INTERRUPTED, context.cancelReason());
                if (stop == Stop.SOURCE_LEFT) {
                    retry(job);
                }
                return;
            }
            if (checked.failure() != null && stop == null) {
                job.addLog(now, "the source failed: " + checked.failure());
                job.results = job.kind == JobKind.SCAN ? null
                        : merge(blocked, allowed, Map.of(), UpdateStatus.FAILED, checked.failure());
                end(job, JobState.FAILED, entry.describe() + " failed: " + checked.failure());
                return;
            }
            JobState stopped = stop == Stop.CANCELLED ? JobState.CANCELLED
                    : stop == Stop.TIMED_OUT ? JobState.TIMED_OUT : null;
            if (job.kind == JobKind.SCAN) {
                if (checked.found() != null && stopped == null) {
                    job.found = checked.found();
                    job.addLog(now, "found " + job.found.size() + " update(s)");
                }
                end(job, stopped != null ? stopped : JobState.SUCCEEDED, stopped != null ? context.cancelReason()
                        : null);
                return;
            }
            Map<String, UpdateResultDTO> returned = outcome.results() == null ? Map.of() : outcome.results();
            job.results = merge(blocked, allowed, returned, stopped != null ? UpdateStatus.INTERRUPTED
                    : UpdateStatus.NOT_ATTEMPTED, stopped != null ? context.cancelReason()
                            : "the source reported no result for it");
            for (UpdateResultDTO r : returned.values()) {
                if (allowed.stream().noneMatch(u -> u.id.equals(r.updateId))) {
                    job.addLog(now, "ignored a result for '" + r.updateId + "', which was not requested");
                }
            }
            if (checked.violation() != null) {
                job.addLog(now, checked.violation());
            }
            long bad = job.results.stream().filter(r -> r.status == UpdateStatus.FAILED
                    || r.status == UpdateStatus.INTERRUPTED || r.status == UpdateStatus.NOT_ATTEMPTED).count();
            if (stopped != null) {
                end(job, stopped, context.cancelReason());
            } else if (checked.violation() != null) {
                end(job, JobState.FAILED, checked.violation());
            } else if (bad > 0) {
                end(job, JobState.FAILED, bad + " of " + job.results.size() + " update(s) did not succeed");
            } else {
                end(job, JobState.SUCCEEDED, null);
            }
        }
    }

    /** One result per requested update, in request order: blocked ones, then what the source said, else {@code missing}. */
    private List<UpdateResultDTO> merge(List<UpdateResultDTO> blocked, List<UpdateDTO> allowed,
            Map<String, UpdateResultDTO> returned, UpdateStatus missing, String message) {
        List<UpdateResultDTO> out = new ArrayList<>(blocked);
        for (UpdateDTO u : allowed) {
            UpdateResultDTO r = returned.get(u.id);
            if (r == null) {
                out.add(result(u, missing, message));
            } else {
                UpdateResultDTO copy = copy(r);
                if (copy.status == null) {
                    copy.status = UpdateStatus.FAILED;
                    copy.message = "the source gave no status" + (blank(r.message) ? "" : ": " + r.message);
                }
                if (copy.title == null) {
                    copy.title = u.title;
                }
                out.add(copy);
            }
        }
        return out;
    }

    private void requeue(Job job, String reason) {
        synchronized (lock) {
            if (job.claimed) {
                busyDevices.remove(job.deviceId);
                job.claimed = false;
            }
            if (!job.state.isFinal()) {
                wait(job, JobState.WAITING, reason);
            }
            lock.notifyAll();
        }
    }

    private void retry(Job interrupted) {
        if (interrupted.attempt >= settings.maxAttempts() || closed) {
            interrupted.addLog(clock.instant(), "not retried: " + interrupted.attempt + " attempt(s) made");
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(interrupted.deadline)) {
            return;
        }
        Job next = new Job(UUID.randomUUID().toString(), interrupted.kind, interrupted.deviceId,
                interrupted.sourceId, interrupted.requested, now, interrupted.deadline, interrupted.attempt + 1,
                interrupted.id, interrupted.requestedBy, interrupted.runId);
        next.addLog(now, "retries job " + interrupted.id + " (attempt " + next.attempt + ")");
        jobs.put(next.id, next);
        interrupted.addLog(now, "retried as job " + next.id + " when source '" + interrupted.sourceId
                + "' is available again");
        LOG.info("Job {} will be retried as {} when source '{}' is available", interrupted.id, next.id,
                interrupted.sourceId);
    }

    private void scheduleDeadline(Job job, JobContextImpl context) {
        long delay = Math.max(0, Duration.between(clock.instant(), job.deadline).toMillis());
        try {
            timer.schedule(() -> {
                synchronized (lock) {
                    if (job.context != context || job.state != JobState.RUNNING) {
                        return;
                    }
                    context.stop(Stop.TIMED_OUT, "the deadline " + job.deadline + " passed");
                    job.addLog(clock.instant(), "deadline passed; asking the source to stop");
                }
                interruptAfterGrace(job.id, context);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // runner closing
        }
    }

    /** Must hold the lock. */
    private void end(Job job, JobState state, String reason) {
        Instant now = clock.instant();
        job.state = state;
        job.reason = reason;
        job.endedAt = now;
        job.progress = state == JobState.SUCCEEDED ? 100 : job.progress;
        job.addLog(now, "ended " + state + (reason == null ? "" : ": " + reason));
        release(job);
        JobDTO ended = job.toDTO();
        try {
            events.execute(() -> {
                try {
                    env.jobEnded(ended);
                } catch (RuntimeException e) {
                    LOG.warn("A job listener failed on job {}", ended.id, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Job {} ended after the job runner stopped; listeners are not told", ended.id);
        }
        LOG.info("Job {} ended {}{}", job.id, state, reason == null ? "" : ": " + reason);
    }

    /** Must hold the lock. */
    private void release(Job job) {
        if (job.claimed) {
            busyDevices.remove(job.deviceId);
            job.claimed = false;
        }
        job.worker = null;
        job.context = null;
        lock.notifyAll();
    }

    /** Must hold the lock. */
    private void wait(Job job, JobState state, String reason) {
        if (job.state != state || !reason.equals(job.reason)) {
            job.state = state;
            job.reason = reason;
            job.addLog(clock.instant(), state + ": " + reason);
        }
    }

    /** Must hold the lock: forgets the oldest ended jobs beyond the number kept. */
    private void trim() {
        long ended = jobs.values().stream().filter(j -> j.state.isFinal()).count();
        Iterator<Job> it = jobs.values().iterator();
        while (ended > settings.keepFinished() && it.hasNext()) {
            if (it.next().state.isFinal()) {
                it.remove();
                ended--;
            }
        }
    }

    @Override
    public void log(Job job, String message) {
        synchronized (lock) {
            job.addLog(clock.instant(), message == null ? "" : message);
        }
    }

    @Override
    public void progress(Job job, int percent, String message) {
        synchronized (lock) {
            job.progress = percent;
            job.progressMessage = message;
        }
    }

    /** A copy of the update that names the source it belongs to. */
    private static UpdateDTO stamped(UpdateDTO u, SourceEntry entry) {
        UpdateDTO c = new UpdateDTO();
        c.id = u.id;
        c.sourceType = entry.type();
        c.sourceId = entry.id();
        c.title = u.title;
        c.name = u.name;
        c.kb = u.kb;
        c.installedVersion = u.installedVersion;
        c.version = u.version;
        c.classification = u.classification;
        c.severity = u.severity;
        c.origin = u.origin;
        c.advisory = u.advisory;
        c.cves = u.cves == null ? null : List.copyOf(u.cves);
        c.rebootRequired = u.rebootRequired;
        c.releasedAt = u.releasedAt;
        c.description = u.description;
        return c;
    }

    private static UpdateResultDTO result(UpdateDTO u, UpdateStatus status, String message) {
        UpdateResultDTO r = new UpdateResultDTO();
        r.updateId = u.id;
        r.title = u.title;
        r.status = status;
        r.message = message;
        r.versionBefore = u.installedVersion;
        return r;
    }

    private static UpdateResultDTO copy(UpdateResultDTO r) {
        UpdateResultDTO c = new UpdateResultDTO();
        c.updateId = r.updateId;
        c.title = r.title;
        c.status = r.status;
        c.message = r.message;
        c.versionBefore = r.versionBefore;
        c.versionAfter = r.versionAfter;
        c.rebootRequired = r.rebootRequired;
        c.startedAt = r.startedAt;
        c.endedAt = r.endedAt;
        return c;
    }

    private static String describe(Throwable t) {
        String message;
        try {
            message = t.getMessage();
        } catch (RuntimeException e) {
            message = null;
        }
        return blank(message) ? t.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(SourceEntry.Lease lease) {
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.debug("Releasing a source service failed", e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
