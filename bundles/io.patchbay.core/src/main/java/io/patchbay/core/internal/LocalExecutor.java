package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.queue.JobEndDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.TargetSettings;
import io.patchbay.api.source.UpdateSource;
import io.patchbay.core.internal.JobContextImpl.Stop;

/**
 * Runs the jobs this node claimed with the sources loaded here, on worker threads it owns, and is the one place that
 * calls plugin code: every call goes through {@link #invoke}, which captures what the plugin throws. A worker is held
 * only while plugin code runs. Nothing is called out (queue, plugin, listener) while the executor's lock is held.
 */
final class LocalExecutor implements JobContextImpl.JobSink {
    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
    /** The reason of a job that was running when the server stopped. */
    static final String SERVER_STOPPED = "the server stopped while the job ran";

    private record JobTarget(DeviceDTO device, Host host, TargetSettings settings) implements Target {
    }

    /** What the plugin call produced: found updates, results, or what it threw. */
    private record Outcome(List<UpdateDTO> found, Map<String, UpdateResultDTO> results, Throwable failure) {
    }

    private final Object lock = new Object();
    /** The jobs this node claimed and has not ended, by id. */
    private final Map<String, Job> running = new LinkedHashMap<>();
    /** Source ids being drained for a replacement: their new jobs wait. */
    private final Set<String> draining = new HashSet<>();
    private final Clock clock;
    private final JobRunner.Settings settings;
    private final Supplier<JobQueue> queue;
    private final JobRunner.Environment env;
    private final BlockListEnforcement enforcement;
    private final JobEvents events;
    private final Runnable wake;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private boolean closed;

    LocalExecutor(Clock clock, JobRunner.Settings settings, Supplier<JobQueue> queue, JobRunner.Environment env,
            BlockListEnforcement enforcement, JobEvents events, Runnable wake) {
        this.clock = clock;
        this.settings = settings;
        this.queue = queue;
        this.env = env;
        this.enforcement = enforcement;
        this.events = events;
        this.wake = wake;
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Threads.named("patchbay-job-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.named("patchbay-job-timer-"));
    }

    /** For tests of the rule that nothing is called out while the lock is held. */
    boolean holdsLock() {
        return Thread.holdsLock(lock);
    }

    /** Workers free for another job now. */
    int free() {
        synchronized (lock) {
            return closed ? 0 : settings.workers() - (int) running.values().stream().filter(j -> !j.abandoned).count();
        }
    }

    /** The ids of the jobs this node holds now. */
    Set<String> heldIds() {
        synchronized (lock) {
            return Set.copyOf(running.keySet());
        }
    }

    boolean runsHere(String jobId) {
        synchronized (lock) {
            return running.containsKey(jobId);
        }
    }

    Set<String> drainingSources() {
        synchronized (lock) {
            return Set.copyOf(draining);
        }
    }

    /** Running jobs per source service id now, as a value for the registry's view. */
    Map<Long, Integer> runningJobsByServiceId() {
        Map<Long, Integer> out = new HashMap<>();
        synchronized (lock) {
            for (Job j : running.values()) {
                if (!j.ending) {
                    out.merge(j.sourceServiceId, 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** Drains a source: its new jobs wait; returns once its running jobs here have ended or {@code limit} passed. */
    int drain(String sourceId, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            draining.add(sourceId);
            while (true) {
                long left = end - System.nanoTime();
                int n = (int) running.values().stream().filter(j -> !j.ending && sourceId.equals(j.sourceId)).count();
                if (n == 0 || left <= 0) {
                    return n;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    void undrain(String sourceId) {
        synchronized (lock) {
            draining.remove(sourceId);
        }
    }

    /** Runs a job this node has claimed, on a worker. */
    void start(JobClaimDTO claim, SourceEntry entry, DeviceDTO device, Host host) {
        Job job = new Job(claim.job, claim.claimId, claim.settings);
        job.sourceServiceId = entry.serviceId();
        synchronized (lock) {
            if (closed) {
                job = null;
            } else {
                running.put(job.id, job);
            }
        }
        if (job == null) {
            queue.get().release(claim.job.id, claim.claimId, JobState.QUEUED, "the server is stopping",
                    clock.instant());
            return;
        }
        Job claimed = job;
        scheduleDeadline(claimed);
        try {
            workers.execute(() -> run(claimed, entry, device, host));
        } catch (RejectedExecutionException e) {
            forget(claimed);
            queue.get().release(claimed.id, claimed.claimId, JobState.QUEUED, "the server is stopping",
                    clock.instant());
        }
    }

    /** A job this node claimed whose device was deleted meanwhile: it fails saying so. */
    void deviceGone(JobClaimDTO claim) {
        Job job = new Job(claim.job, claim.claimId);
        synchronized (lock) {
            running.put(job.id, job);
            job.ending = true;
        }
        record(job, end(job, JobState.FAILED, "device '" + job.deviceId + "' no longer exists"));
    }

    private void forget(Job job) {
        synchronized (lock) {
            running.remove(job.id);
            lock.notifyAll();
        }
    }

    private void run(Job job, SourceEntry entry, DeviceDTO device, Host host) {
        SourceEntry.Lease lease = null;
        JobContextImpl context = null;
        try {
            TargetSettings targetSettings;
            try {
                targetSettings = job.claimedSettings != null ? RemoteExecutor.settings(job.claimedSettings)
                        : env.settings(device, job.runId);
            } catch (RuntimeException e) {
                // never run a source with settings that could not be read (a WSUS group must not reach Microsoft Update)
                forget(job);
                queue.get().release(job.id, job.claimId, JobState.WAITING, "the settings of device '" + job.deviceId
                        + "' cannot be read: " + e.getMessage(), clock.instant());
                return;
            }
            lease = entry.acquirer().acquire();
            if (lease == null || lease.source() == null) {
                JobEndDTO stopped = null;
                synchronized (lock) {
                    if (job.ending) {
                        return;
                    }
                    if (job.pendingStop != null) {
                        // asked to stop while its source service was being got: it ends as asked
                        job.ending = true;
                        stopped = end(job, job.pendingStop == Stop.CANCELLED ? JobState.CANCELLED
                                : job.pendingStop == Stop.TIMED_OUT ? JobState.TIMED_OUT : JobState.INTERRUPTED,
                                job.pendingReason);
                        stopped.retry = job.pendingStop == Stop.SOURCE_LEFT || job.pendingStop == Stop.SHUTDOWN;
                        if (job.pendingStop == Stop.SOURCE_LEFT) {
                            stopped.retryWaitsFor = "source '" + job.sourceId + "' is not available";
                        }
                    }
                }
                if (stopped != null) {
                    record(job, stopped);
                    return;
                }
                forget(job);
                queue.get().release(job.id, job.claimId, JobState.WAITING, "source '" + job.sourceId
                        + "' is not available", clock.instant());
                return;
            }
            BlockListEnforcement.Split split = enforcement.before(job.kind, job.requested, entry.id(), entry.type());
            boolean stopping;
            synchronized (lock) {
                if (job.ending) {
                    return;
                }
                stopping = closed;
            }
            if (stopping) {
                forget(job);
                queue.get().release(job.id, job.claimId, JobState.QUEUED, "the server stopped before the job started",
                        clock.instant());
                return;
            }
            synchronized (lock) {
                if (job.ending) {
                    return;
                }
                context = new JobContextImpl(job, job.deadline, this);
                if (job.pendingStop != null) {
                    context.stop(job.pendingStop, job.pendingReason);
                    if (job.pendingStop == Stop.SOURCE_LEFT || job.pendingStop == Stop.SHUTDOWN) {
                        context.fence();
                    }
                }
                job.context = context;
                job.worker = Thread.currentThread();
                job.allowed = List.copyOf(split.allowed());
                job.blockedResults = List.copyOf(split.blocked());
            }
            log(job, "started with " + entry.describe());
            split.blocked().forEach(b -> log(job, b.updateId + ": " + b.message));
            Outcome outcome = (job.kind != JobKind.SCAN && split.allowed().isEmpty()) || context.isCancelled()
                    ? new Outcome(null, Map.of(), null)
                    : invoke(job.kind, lease.source(), new JobTarget(device, host, targetSettings), split.allowed(), context, entry);
            finish(job, context, entry, split, outcome);
        } catch (RuntimeException | Error e) {
            // a defect of the executor itself: the job must still end, and the device be freed
            LOG.error("Job {} failed inside the job executor", job.id, e);
            JobEndDTO end = null;
            synchronized (lock) {
                if (!job.ending) {
                    job.ending = true;
                    end = end(job, JobState.FAILED, "internal error: " + e);
                }
            }
            if (end != null) {
                record(job, end);
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
            wake.run();
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
            case SCAN -> new Outcome(enforcement.found(source.scan(target, context), entry.id(), entry.type()), null,
                    null);
            case INSTALL -> new Outcome(null, UpdateResults.returned(source.install(target, List.copyOf(updates),
                    context)), null);
            case ROLLBACK -> new Outcome(null, UpdateResults.returned(source.rollback(target, List.copyOf(updates),
                    context)), null);
            };
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            return new Outcome(null, null, e);
        }
    }

    private void finish(Job job, JobContextImpl context, SourceEntry entry, BlockListEnforcement.Split split,
            Outcome outcome) {
        String failure = null;
        if (outcome.failure() != null) {
            Throwable t = outcome.failure();
            failure = t instanceof CancellationException ? "the source stopped without being asked" : describe(t);
            if (context.stopped() == null) {
                LOG.warn("Job {}: {} failed: {}", job.id, entry.describe(), failure, t);
            }
        }
        String violation = enforcement.violation(job.kind, outcome.results(), split.allowed(), entry.id(),
                entry.type());
        Stop stop;
        boolean lateReturn;
        synchronized (lock) {
            if (job.context != context || job.ending) {
                // given up while the source still ran: the job has ended already
                context.fence();
                return;
            }
            job.ending = true;
            // whatever the plugin does from now on is dropped
            lateReturn = context.isFenced();
            context.fence();
            stop = context.stopped();
        }
        List<UpdateDTO> allowed = split.allowed();
        List<UpdateResultDTO> blocked = split.blocked();
        JobEndDTO end;
        if (stop == Stop.SOURCE_LEFT || stop == Stop.SHUTDOWN || lateReturn) {
            end = end(job, JobState.INTERRUPTED, context.cancelReason());
            end.results = job.kind == JobKind.SCAN ? null
                    : UpdateResults.merge(blocked, allowed, Map.of(), UpdateStatus.INTERRUPTED, context.cancelReason());
            end.retry = true;
            if (stop == Stop.SOURCE_LEFT) {
                end.retryWaitsFor = "source '" + job.sourceId + "' is not available";
            }
        } else if (failure != null && stop == null) {
            end = end(job, JobState.FAILED, entry.describe() + " failed: " + failure);
            end.log.add("the source failed: " + failure);
            end.results = job.kind == JobKind.SCAN ? null
                    : UpdateResults.merge(blocked, allowed, Map.of(), UpdateStatus.FAILED, failure);
        } else {
            JobState stopped = stop == Stop.CANCELLED ? JobState.CANCELLED
                    : stop == Stop.TIMED_OUT ? JobState.TIMED_OUT : null;
            if (job.kind == JobKind.SCAN) {
                end = end(job, stopped != null ? stopped : JobState.SUCCEEDED,
                        stopped != null ? context.cancelReason() : null);
                if (outcome.found() != null && stopped == null) {
                    end.found = outcome.found();
                    end.log.add("found " + end.found.size() + " update(s)");
                }
            } else {
                Map<String, UpdateResultDTO> returned = outcome.results() == null ? Map.of() : outcome.results();
                List<UpdateResultDTO> results = UpdateResults.merge(blocked, allowed, returned,
                        stopped != null ? UpdateStatus.INTERRUPTED : UpdateStatus.NOT_ATTEMPTED,
                        stopped != null ? context.cancelReason() : "the source reported no result for it");
                long bad = UpdateResults.bad(results);
                end = stopped != null ? end(job, stopped, context.cancelReason())
                        : violation != null ? end(job, JobState.FAILED, violation)
                                : bad > 0 ? end(job, JobState.FAILED, bad + " of " + results.size()
                                        + " update(s) did not succeed") : end(job, JobState.SUCCEEDED, null);
                end.results = results;
                for (UpdateResultDTO r : returned.values()) {
                    if (allowed.stream().noneMatch(u -> u.id.equals(r.updateId))) {
                        end.log.add("ignored a result for '" + r.updateId + "', which was not requested");
                    }
                }
                if (violation != null) {
                    end.log.add(violation);
                }
            }
        }
        end.sourceType = entry.type();
        end.sourceBundle = entry.bundle();
        end.sourceBundleVersion = entry.bundleVersion();
        record(job, end);
    }

    /** The end of a job, to be filled in; the caller has set {@code job.ending}. */
    private JobEndDTO end(Job job, JobState state, String reason) {
        JobEndDTO end = new JobEndDTO();
        end.jobId = job.id;
        end.claimId = job.claimId;
        end.state = state;
        end.reason = reason;
        end.log = new ArrayList<>();
        end.maxAttempts = settings.maxAttempts();
        end.endedAt = clock.instant();
        return end;
    }

    /** Hands the end to the queue, frees the job's place here, and tells listeners; never under the lock. */
    private void record(Job job, JobEndDTO end) {
        long ticket = events.reserve();
        List<JobDTO> told = List.of();
        try {
            DeviceDTO device = env.device(job.deviceId).orElse(null);
            end.osFamily = device == null ? null : device.osFamily;
            told = List.of(queue.get().end(end));
        } catch (ClaimLostException e) {
            LOG.warn("Job {} was ended elsewhere before this node could record its end: {}", job.id, e.getMessage());
        } catch (RuntimeException e) {
            // the lease runs out and another node (or this one after a restart) ends the job INTERRUPTED
            LOG.error("Job {}: its end ({}) could not be recorded; its lease will run out", job.id, end.state, e);
        } finally {
            events.deliver(ticket, told);
            synchronized (lock) {
                running.remove(job.id);
                job.worker = null;
                job.context = null;
                lock.notifyAll();
            }
            wake.run();
        }
    }

    // ---- stops: cancel, deadline, sources leaving, the server stopping ----

    /** Asks a job running here to stop; it is interrupted after a grace period. */
    boolean stop(String jobId, Stop why, String reason) {
        JobContextImpl context;
        synchronized (lock) {
            Job job = running.get(jobId);
            if (job == null || job.ending) {
                return false;
            }
            if (job.context == null) {
                if (job.pendingStop == null) {
                    job.pendingStop = why;
                    job.pendingReason = reason;
                }
                return true;
            }
            context = job.context;
            context.stop(why, reason);
        }
        interruptAfterGrace(jobId, context);
        return true;
    }

    /**
     * At the deadline: a job still being started (its source service not ready yet, plugin activation included) ends
     * TIMED_OUT so that its device is free again; a running one is asked to stop, and interrupted after a grace period.
     */
    private void scheduleDeadline(Job job) {
        long delay = Math.max(0, Duration.between(clock.instant(), job.deadline).toMillis());
        try {
            timer.schedule(() -> {
                JobContextImpl context;
                JobEndDTO starting = null;
                synchronized (lock) {
                    if (running.get(job.id) != job || job.ending) {
                        return;
                    }
                    context = job.context;
                    if (context == null) {
                        job.ending = true;
                        starting = end(job, JobState.TIMED_OUT, "the deadline " + job.deadline
                                + " passed while the job was being started");
                    } else {
                        context.stop(Stop.TIMED_OUT, "the deadline " + job.deadline + " passed");
                    }
                }
                if (starting != null) {
                    record(job, starting);
                    return;
                }
                log(job, "deadline passed; asking the source to stop");
                interruptAfterGrace(job.id, context);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // executor closing
        }
    }

    /**
     * A source service is going away: its running jobs are asked to stop and fenced at once, get a bounded time to
     * return, and are interrupted after that. Called on the thread that unregisters the service, so the plugin's
     * bundle does not stop under a job that is still in its code, unless the job ignores both requests.
     */
    void sourceLeaving(SourceEntry entry) {
        // asked before the lock is taken; a stop of the server ends the job INTERRUPTED saying so
        boolean serverStopping = env.serverStopping();
        List<Job> affected = new ArrayList<>();
        List<Job> starting = new ArrayList<>();
        synchronized (lock) {
            for (Job job : running.values()) {
                if (job.context == null && !job.ending && job.sourceServiceId == entry.serviceId()) {
                    // still getting its source service (which may wait for this very call to return): it stops as
                    // soon as it has one, or ends when it gets none; nothing here waits for it
                    job.pendingStop = serverStopping ? Stop.SHUTDOWN : Stop.SOURCE_LEFT;
                    job.pendingReason = serverStopping ? SERVER_STOPPED : entry.describe() + " left while the job ran";
                    starting.add(job);
                } else if (job.context != null && !job.ending && job.sourceServiceId == entry.serviceId()) {
                    if (serverStopping) {
                        job.context.stop(Stop.SHUTDOWN, SERVER_STOPPED);
                    } else {
                        job.context.stop(Stop.SOURCE_LEFT, entry.describe() + " left while the job ran");
                    }
                    job.context.fence();
                    affected.add(job);
                }
            }
        }
        for (Job job : affected) {
            log(job, entry.describe() + (serverStopping ? " left as the server stops" : " left")
                    + "; the job is interrupted");
        }
        for (Job job : starting) {
            log(job, entry.describe() + (serverStopping ? " left as the server stops" : " left")
                    + " while the job was being started; the job is interrupted");
        }
        if (!affected.isEmpty()) {
            LOG.info("{} left{} with {} running job(s); stopping them", entry.describe(),
                    serverStopping ? " as the server stops" : "", affected.size());
            stopWithin(affected);
        }
    }

    /** Ends every job running here INTERRUPTED (retried after a restart) and stops the threads. */
    void close() {
        List<Job> stopping = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            for (Job job : running.values()) {
                if (job.context == null && !job.ending) {
                    job.pendingStop = Stop.SHUTDOWN;
                    job.pendingReason = SERVER_STOPPED;
                    stopping.add(job);
                } else if (job.context != null && !job.ending) {
                    job.context.stop(Stop.SHUTDOWN, SERVER_STOPPED);
                    job.context.fence();
                    stopping.add(job);
                }
            }
        }
        stopWithin(stopping);
        timer.shutdownNow();
        workers.shutdownNow();
    }

    /** Waits a grace period for asked-to-stop jobs, interrupts what still runs, and gives up on what still runs then. */
    private void stopWithin(List<Job> affected) {
        Map<Job, JobContextImpl> contexts = new LinkedHashMap<>();
        synchronized (lock) {
            affected.stream().filter(j -> j.context != null).forEach(j -> contexts.put(j, j.context));
        }
        try {
            if (!awaitEnded(affected, settings.grace())) {
                contexts.forEach(this::interrupt);
                if (!awaitEnded(affected, settings.grace())) {
                    contexts.forEach(this::abandon);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitEnded(List<Job> affected, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (affected.stream().anyMatch(j -> running.get(j.id) == j)) {
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
            timer.schedule(() -> job(jobId).ifPresent(j -> interrupt(j, context)), grace, TimeUnit.MILLISECONDS);
            timer.schedule(() -> job(jobId).ifPresent(j -> abandon(j, context)), 2 * grace, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // executor closing: close() interrupts what is left
        }
    }

    private java.util.Optional<Job> job(String id) {
        synchronized (lock) {
            return java.util.Optional.ofNullable(running.get(id));
        }
    }

    /** Interrupts the worker of a job still running under {@code context}; the interrupt happens outside the lock. */
    private void interrupt(Job job, JobContextImpl context) {
        Thread worker;
        synchronized (lock) {
            if (context == null || job.context != context || job.ending || job.worker == null) {
                return;
            }
            worker = job.worker;
        }
        log(job, "the source did not stop within " + settings.grace() + "; interrupting it");
        LOG.warn("Job {} did not stop within {}; interrupting it", job.id, settings.grace());
        worker.interrupt();
    }

    /**
     * Ends a job whose source ignored both the stop request and the interrupt, so that its device is free again and
     * plugin code holds no job beyond its deadline plus two grace periods. Its worker is left to the plugin; the pool
     * gets one more thread until that worker comes back.
     */
    private void abandon(Job job, JobContextImpl context) {
        JobEndDTO end;
        synchronized (lock) {
            if (context == null || job.context != context || job.ending) {
                return;
            }
            context.fence();
            job.abandoned = true;
            job.ending = true;
            Stop stop = context.stopped();
            String why = context.cancelReason() + "; the source did not return after being interrupted";
            end = end(job, stop == Stop.CANCELLED ? JobState.CANCELLED
                    : stop == Stop.TIMED_OUT ? JobState.TIMED_OUT : JobState.INTERRUPTED, why);
            if (job.kind != JobKind.SCAN && job.allowed != null) {
                end.results = UpdateResults.merge(job.blockedResults, job.allowed, Map.of(), UpdateStatus.INTERRUPTED,
                        why);
            }
            end.retry = stop == Stop.SOURCE_LEFT || stop == Stop.SHUTDOWN;
            if (stop == Stop.SOURCE_LEFT) {
                end.retryWaitsFor = "source '" + job.sourceId + "' is not available";
            }
        }
        LOG.error("Job {}: its source still runs after being interrupted; the job is ended and its worker thread "
                + "left to the source", job.id);
        resizeWorkers(+1);
        record(job, end);
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

    // ---- what the source writes through its context ----

    @Override
    public void log(Job job, String message) {
        try {
            queue.get().log(job.id, clock.instant(), message == null ? "" : message);
        } catch (RuntimeException e) {
            LOG.debug("Job {}: a log line could not be kept", job.id, e);
        }
    }

    @Override
    public void progress(Job job, int percent, String message) {
        Instant now = clock.instant();
        try {
            queue.get().progress(job.id, job.claimId, percent, message, null, now, now.plus(settings.lease()));
        } catch (ClaimLostException e) {
            // ended elsewhere (its lease ran out): whatever the source does now is dropped
            JobContextImpl context;
            synchronized (lock) {
                context = job.context;
            }
            if (context != null) {
                context.stop(Stop.SOURCE_LEFT, e.getMessage());
                context.fence();
            }
        } catch (RuntimeException e) {
            LOG.debug("Job {}: progress could not be kept", job.id, e);
        }
    }

    private static String describe(Throwable t) {
        String message;
        try {
            message = t.getMessage();
        } catch (RuntimeException e) {
            message = null;
        }
        return UpdateResults.blank(message) ? t.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(SourceEntry.Lease lease) {
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.debug("Releasing a source service failed", e);
        }
    }
}
