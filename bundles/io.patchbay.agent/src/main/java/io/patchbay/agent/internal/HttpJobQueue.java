package io.patchbay.agent.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.agent.JobReleaseDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.queue.JobEndDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.queue.JobStopDTO;

/**
 * The core's job queue on a device: the server's queue seen through its agent endpoints, so that the core's own
 * dispatcher and local executor run the device's jobs with the sources on the device. The long poll hands in the job
 * the server gave this device ({@link #offer}); the dispatcher finds it {@link #due} and {@link #claim}s it, which
 * first writes it to the state folder; progress, log lines and lease renewals become progress calls, the end becomes
 * the report (sent again until the server acknowledges it), a release the release. The server reaps, so
 * {@link #reap} does nothing here, and jobs are never queued here.
 */
final class HttpJobQueue implements JobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(HttpJobQueue.class);
    /** The core's reason for a job running when its framework stops; on a device it is the agent that stopped. */
    static final String CORE_STOPPED = "the server stopped while the job ran";
    static final String AGENT_STOPPED = "the agent stopped while the job ran";
    /** Log lines kept for the next progress call at most; more are counted and said so. */
    static final int MAX_BUFFERED_LINES = 2_000;

    private static final class Held {
        final JobClaimDTO claim;
        final List<String> log = new ArrayList<>();
        int dropped;

        Held(JobClaimDTO claim) {
            this.claim = claim;
        }
    }

    private final ServerClient client;
    private final StateFolder state;
    private final Supplier<Instant> bootTime;
    private final Object lock = new Object();
    private JobClaimDTO pending;
    private Instant pendingSince;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private boolean flushScheduled;
    private volatile boolean closing;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "patchbay-agent-log");
        t.setDaemon(true);
        return t;
    });
    /** Waits between report attempts; a test makes them short. */
    private final Duration reportRetryBase;
    private final Duration reportRetryCap;

    HttpJobQueue(ServerClient client, StateFolder state, Supplier<Instant> bootTime) {
        this(client, state, bootTime, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    HttpJobQueue(ServerClient client, StateFolder state, Supplier<Instant> bootTime, Duration reportRetryBase,
            Duration reportRetryCap) {
        this.client = client;
        this.state = state;
        this.bootTime = bootTime;
        this.reportRetryBase = reportRetryBase;
        this.reportRetryCap = reportRetryCap;
    }

    /** From now on an end that cannot be reported is left for the next start (the job stays in the state folder). */
    void closing() {
        closing = true;
    }

    void close() {
        closing = true;
        flusher.shutdownNow();
    }

    // ---- what the agent asks ----

    /** Whether the long poll should ask for a job: none waits to start and none runs. */
    boolean wantsClaim() {
        synchronized (lock) {
            return pending == null && held.isEmpty();
        }
    }

    /** Whether a job is claimed here (waiting to start or running): source bundles are not swapped meanwhile. */
    boolean busy() {
        synchronized (lock) {
            return pending != null || !held.isEmpty();
        }
    }

    String runningJobId() {
        synchronized (lock) {
            return held.isEmpty() ? null : held.keySet().iterator().next();
        }
    }

    /** The job the server handed this device, for the dispatcher to find. */
    void offer(JobClaimDTO claim) {
        synchronized (lock) {
            pending = claim;
            pendingSince = Instant.now();
        }
    }

    /**
     * A job handed over that the dispatcher did not take within {@code limit} (its source is not on the device, or
     * left): taken back here, for the agent to release.
     */
    Optional<JobClaimDTO> takeStale(Duration limit) {
        synchronized (lock) {
            if (pending == null || pendingSince.plus(limit).isAfter(Instant.now())) {
                return Optional.empty();
            }
            JobClaimDTO c = pending;
            pending = null;
            return Optional.of(c);
        }
    }

    // ---- JobQueue ----

    @Override
    public JobDTO enqueue(JobDTO job, int maxPendingPerDevice) {
        throw new IllegalStateException("jobs are queued on the server, not on a device's agent");
    }

    @Override
    public Optional<JobDTO> get(String id) {
        synchronized (lock) {
            Held h = held.get(id);
            if (h != null) {
                return Optional.of(h.claim.job);
            }
            return pending != null && pending.job.id.equals(id) ? Optional.of(pending.job) : Optional.empty();
        }
    }

    /** The agent claims only its own device's jobs, through its long poll; nobody waits on it for others. */
    @Override
    public Set<String> devicesWithDueJobs(java.util.Collection<String> deviceIds, Instant now) {
        return Set.of();
    }

    @Override
    public List<JobDTO> newest(int limit) {
        return List.of();
    }

    @Override
    public List<JobDTO> ofRun(String runId) {
        return List.of();
    }

    @Override
    public List<JobDTO> due(Set<String> sourceIds, Instant now, int limit) {
        synchronized (lock) {
            if (pending == null || limit <= 0 || !sourceIds.contains(pending.job.sourceId)) {
                return List.of();
            }
            return List.of(pending.job);
        }
    }

    @Override
    public Optional<JobClaimDTO> claim(String jobId, String owner, Instant now, Instant leaseExpiresAt) {
        JobClaimDTO c;
        synchronized (lock) {
            if (pending == null || !pending.job.id.equals(jobId)) {
                return Optional.empty();
            }
            c = pending;
        }
        StateFolder.JobInProgress record = new StateFolder.JobInProgress();
        record.jobId = c.job.id;
        record.claimId = c.claimId;
        record.sourceId = c.job.sourceId;
        record.startedAt = now;
        record.bootTime = bootTime.get();
        try {
            // before it starts: a restart or reboot from here on reports it INTERRUPTED, never leaves it RUNNING
            state.jobStarted(record);
        } catch (IOException e) {
            throw new IllegalStateException("job " + jobId + " cannot be recorded in the state folder, so it is not "
                    + "started: " + e.getMessage(), e);
        }
        synchronized (lock) {
            if (pending != c) {
                return Optional.empty();
            }
            pending = null;
            held.put(c.job.id, new Held(c));
        }
        LOG.info("Job {} claimed: {} with source '{}'", c.job.id, c.job.kind, c.job.sourceId);
        return Optional.of(c);
    }

    @Override
    public Optional<JobClaimDTO> claimNext(String deviceId, Set<String> sourceIds, String owner, Instant now,
            Instant leaseExpiresAt) {
        return Optional.empty();
    }

    @Override
    public void waitFor(String jobId, JobState jobState, String reason, Instant now, Instant recheckAt) {
        LOG.debug("Job {} waits: {}", jobId, reason);
    }

    @Override
    public void release(String jobId, String claimId, JobState jobState, String reason, Instant now) {
        synchronized (lock) {
            held.remove(jobId);
        }
        JobReleaseDTO r = new JobReleaseDTO();
        r.claimId = claimId;
        r.state = jobState == JobState.WAITING ? "WAITING" : "QUEUED";
        r.reason = reason;
        try {
            client.release(jobId, r);
            LOG.info("Job {} given back to the server ({}): {}", jobId, r.state, reason);
        } catch (ServerException e) {
            LOG.warn("Job {} could not be given back ({}); its claim runs out on the server", jobId, e.getMessage());
        }
        try {
            state.jobEnded(jobId);
        } catch (IOException e) {
            LOG.warn("Job {}: the state folder could not be updated: {}", jobId, e.getMessage());
        }
    }

    @Override
    public JobClaimDTO progress(String jobId, String claimId, Integer percent, String message, List<String> log,
            Instant now, Instant leaseExpiresAt) throws ClaimLostException {
        JobProgressDTO p = new JobProgressDTO();
        p.claimId = claimId;
        p.percent = percent;
        p.message = message;
        List<String> lines = takeLog(jobId);
        if (log != null) {
            lines.addAll(log);
        }
        p.log = lines.isEmpty() ? null : lines;
        try {
            return client.progress(jobId, p);
        } catch (ServerException e) {
            if (e.status == 409 || e.status == 404) {
                throw new ClaimLostException("the server no longer holds this agent's claim on job " + jobId + ": "
                        + e.detail);
            }
            putBack(jobId, lines);
            throw new IllegalStateException("progress of job " + jobId + " could not be sent: " + e.getMessage(), e);
        }
    }

    @Override
    public void log(String jobId, Instant at, String message) {
        boolean schedule = false;
        synchronized (lock) {
            Held h = held.get(jobId);
            if (h == null) {
                return;
            }
            if (h.log.size() < MAX_BUFFERED_LINES) {
                h.log.add(message);
            } else {
                h.dropped++;
            }
            if (!flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        if (schedule) {
            try {
                // streamed within a second, several lines to a call
                flusher.schedule(this::flush, 500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: the lines go with the report
            }
        }
    }

    /** Sends the buffered log lines of the jobs held here, as progress without a percentage. */
    void flush() {
        List<Held> jobs;
        synchronized (lock) {
            flushScheduled = false;
            jobs = held.values().stream().filter(h -> !h.log.isEmpty() || h.dropped > 0).toList();
        }
        for (Held h : jobs) {
            try {
                progress(h.claim.job.id, h.claim.claimId, null, null, null, Instant.now(), null);
            } catch (RuntimeException e) {
                LOG.debug("Log lines of job {} wait for the next call: {}", h.claim.job.id, e.getMessage());
            }
        }
    }

    private List<String> takeLog(String jobId) {
        synchronized (lock) {
            Held h = held.get(jobId);
            List<String> lines = new ArrayList<>();
            if (h != null) {
                lines.addAll(h.log);
                h.log.clear();
                if (h.dropped > 0) {
                    lines.add(h.dropped + " log line(s) were dropped while the server could not be reached");
                    h.dropped = 0;
                }
            }
            return lines;
        }
    }

    private void putBack(String jobId, List<String> lines) {
        synchronized (lock) {
            Held h = held.get(jobId);
            if (h != null) {
                List<String> merged = new ArrayList<>(lines);
                merged.addAll(h.log);
                h.log.clear();
                int keep = Math.min(merged.size(), MAX_BUFFERED_LINES);
                h.dropped += merged.size() - keep;
                h.log.addAll(merged.subList(merged.size() - keep, merged.size()));
            }
        }
    }

    @Override
    public List<JobStopDTO> renew(String owner, Set<String> jobIds, Instant leaseExpiresAt) {
        List<JobStopDTO> stops = new ArrayList<>();
        for (String jobId : jobIds) {
            String claimId;
            synchronized (lock) {
                Held h = held.get(jobId);
                if (h == null) {
                    continue;
                }
                claimId = h.claim.claimId;
            }
            try {
                JobClaimDTO answer = progress(jobId, claimId, null, null, null, Instant.now(), leaseExpiresAt);
                if (answer.stopRequested) {
                    stops.add(stop(jobId, claimId, answer.stopReason != null && answer.stopReason.contains("deadline")
                            ? JobState.TIMED_OUT : JobState.CANCELLED, answer.stopReason));
                }
            } catch (ClaimLostException e) {
                stops.add(stop(jobId, claimId, JobState.CANCELLED, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Job {}: its claim could not be renewed: {}", jobId, e.getMessage());
            }
        }
        return stops;
    }

    private static JobStopDTO stop(String jobId, String claimId, JobState s, String reason) {
        JobStopDTO stop = new JobStopDTO();
        stop.jobId = jobId;
        stop.claimId = claimId;
        stop.state = s;
        stop.reason = reason == null ? "stop requested by the server" : reason;
        return stop;
    }

    @Override
    public JobDTO end(JobEndDTO end) throws ClaimLostException {
        JobReportDTO report = new JobReportDTO();
        report.claimId = end.claimId;
        report.state = end.state;
        report.reason = CORE_STOPPED.equals(end.reason) ? AGENT_STOPPED : end.reason;
        report.found = end.found;
        report.results = end.results;
        List<String> log = takeLog(end.jobId);
        if (end.log != null) {
            log.addAll(end.log);
        }
        report.log = log.isEmpty() ? null : log;
        report.sourceBundle = end.sourceBundle;
        report.sourceBundleVersion = end.sourceBundleVersion;
        try {
            JobDTO recorded = report(end.jobId, report);
            LOG.info("Job {} ended {} and the server recorded it", end.jobId, recorded.state);
            return recorded;
        } finally {
            synchronized (lock) {
                held.remove(end.jobId);
            }
        }
    }

    /**
     * Sends one report until the server acknowledges it: the same body each time, so a repeat whose first answer was
     * lost returns the job as first recorded. A 409 or 404 means the server no longer holds the claim; while the agent
     * stops, a report that cannot be sent stays in the state folder for the next start.
     */
    JobDTO report(String jobId, JobReportDTO report) {
        Backoff backoff = new Backoff(reportRetryBase, reportRetryCap, ThreadLocalRandom.current()::nextDouble);
        while (true) {
            try {
                JobDTO recorded = client.report(jobId, report);
                ended(jobId);
                return recorded;
            } catch (ServerException e) {
                if (e.status == 409 || e.status == 404) {
                    ended(jobId);
                    throw new ClaimLostException("the server refused the report of job " + jobId + ": " + e.detail);
                }
                if (!e.transientFailure()) {
                    // refused as it is: sending it again changes nothing; the server's reaper ends the job
                    ended(jobId);
                    throw new IllegalStateException("the server refused the report of job " + jobId + ": "
                            + e.getMessage());
                }
                if (closing && backoff.failures() >= 2) {
                    throw new IllegalStateException("the report of job " + jobId + " could not be sent before the "
                            + "agent stopped (" + e.getMessage() + "); it is reported INTERRUPTED at the next start");
                }
                Duration wait = e.retryAfter != null ? e.retryAfter : backoff.failed();
                LOG.warn("Job {}: the report could not be sent ({}); trying again in {} s", jobId, e.getMessage(),
                        wait.toSeconds());
                try {
                    Thread.sleep(Math.max(1, wait.toMillis()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the report of job " + jobId + " was not sent: interrupted; it is "
                            + "reported INTERRUPTED at the next start");
                }
            }
        }
    }

    private void ended(String jobId) {
        try {
            state.jobEnded(jobId);
        } catch (IOException e) {
            LOG.warn("Job {}: the state folder could not be updated: {}", jobId, e.getMessage());
        }
    }

    @Override
    public Optional<JobDTO> cancel(String jobId, String reason, Instant now) {
        return Optional.empty();
    }

    @Override
    public List<JobDTO> reap(Set<String> heldHere, Instant now, Instant deadlineGraceBefore, int maxAttempts) {
        // the server reaps its agents' claims
        return List.of();
    }
}
