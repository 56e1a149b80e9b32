package io.patchbay.store.internal;

import static io.patchbay.store.internal.JobRows.at;
import static io.patchbay.store.internal.JobRows.clip;
import static io.patchbay.store.internal.Rows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.queue.JobEndDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.queue.JobStopDTO;

/**
 * The job queue in the database. Claims lock rows with {@code FOR UPDATE SKIP LOCKED}; the unique
 * {@code running_device_id} keeps a device to one running job; ending a job is one conditional UPDATE on its claim in
 * the same transaction as its results ({@link JobRecords}) and its next attempt.
 */
@Component(service = JobQueue.class)
public class StoreJobQueue implements JobQueue {
    /** Candidates one claim looks at; rows locked by other claims are skipped. */
    private static final int CLAIM_CANDIDATES = 8;
    private static final int REAP_BATCH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(StoreJobQueue.class);

    private final Database db;
    private final JobRecords records;
    /** Jobs whose end could not be recorded; logged once each. */
    private final Set<String> unrecordable = ConcurrentHashMap.newKeySet();

    @Activate
    public StoreJobQueue(@Reference Database db) {
        this.db = db;
        this.records = new JobRecords(db);
    }

    @Override
    public JobDTO enqueue(JobDTO job, int maxPendingPerDevice) {
        onceEach(job.requested);
        try {
            return db.transaction(c -> {
                if (job.follows != null) {
                    Optional<JobDTO> follower = follower(c, job.follows);
                    if (follower.isPresent()) {
                        return follower.get();
                    }
                }
                int pending = count(c, "SELECT COUNT(*) FROM pb_job WHERE device_id = ? AND state IN "
                        + JobRows.ACTIVE, job.deviceId);
                if (pending >= maxPendingPerDevice) {
                    throw new LimitExceededException("maxPendingJobsPerDevice", maxPendingPerDevice,
                            "deviceId: device '" + job.deviceId + "' already has " + pending
                                    + " jobs that have not ended (at most " + maxPendingPerDevice
                                    + "); submit more once some have ended");
                }
                if (job.reason == null && count(c, "SELECT COUNT(*) FROM pb_job WHERE running_device_id = ?",
                        job.deviceId) > 0) {
                    job.reason = waitsForDevice(job.deviceId);
                }
                insert(c, job);
                JobRows.log(c, job.id, job.createdAt, "queued: " + job.kind + " on device '" + job.deviceId
                        + "' with source '" + job.sourceId + "'" + (job.reason == null ? "" : "; " + job.reason));
                return JobRows.find(c, job.id, false).orElseThrow().job();
            });
        } catch (Database.StoreException e) {
            if (e.isUniqueViolation() && job.follows != null) {
                // another submit of the same next step won: that one is the job
                return db.transaction(c -> follower(c, job.follows)).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** The store keeps one result per update of a job: an update listed twice could never be recorded. */
    private static void onceEach(List<UpdateDTO> requested) {
        if (requested == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String id = requested.get(i) == null ? null : requested.get(i).id;
            if (id != null && !seen.add(id)) {
                throw new InvalidInputException("updates[" + i + "].id", id, "repeats an update listed before it: "
                        + "each update may be listed once");
            }
        }
    }

    private static Optional<JobDTO> follower(Connection c, String follows) throws SQLException {
        List<JobRows.Row> rows = JobRows.select(c, "SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE follows = ?",
                follows);
        JobRows.withLogs(c, rows);
        return rows.stream().findFirst().map(JobRows.Row::job);
    }

    private static void insert(Connection c, JobDTO job) throws SQLException {
        update(c, "INSERT INTO pb_job (id, run_id, device_id, source_id, kind, state, body, body_format, reason, "
                + "attempt, retry_of, follows, requested_by, created_at, deadline) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?, ?, ?, ?)", job.id, job.runId, job.deviceId,
                job.sourceId, job.kind.name(), job.state == null ? JobState.QUEUED.name() : job.state.name(),
                JobRows.body(job), clip(job.reason, 4000), Math.max(1, job.attempt), job.retryOf, job.follows,
                clip(job.requestedBy, 255), at(job.createdAt), at(job.deadline));
    }

    private static int count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Override
    public Optional<JobDTO> get(String id) {
        return db.transaction(c -> JobRows.find(c, id, false).map(JobRows.Row::job));
    }

    @Override
    public List<JobDTO> newest(int limit) {
        return jobs("SELECT " + JobRows.COLUMNS + " FROM pb_job ORDER BY queue_seq DESC LIMIT ?", limit);
    }

    @Override
    public List<JobDTO> ofRun(String runId) {
        return jobs("SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE run_id = ? ORDER BY queue_seq", runId);
    }

    private List<JobDTO> jobs(String sql, Object... args) {
        return db.transaction(c -> {
            List<JobRows.Row> rows = JobRows.select(c, sql, args);
            JobRows.withLogs(c, rows);
            return rows.stream().map(JobRows.Row::job).toList();
        });
    }

    /**
     * The WHERE of jobs that can be claimed now: parameters now, now, now, then those of {@code more}. A job set aside
     * by {@link #waitFor} until a recheck is left out of {@link #due} only: its agent may claim it any time.
     */
    private static String claimable(String more) {
        return " FROM pb_job j WHERE j.state IN " + JobRows.NOT_STARTED + " AND j.deadline > ? "
                + "AND (j.not_before IS NULL OR j.not_before <= ?) AND (CAST(? AS TIMESTAMP WITH TIME ZONE) IS NULL "
                + "OR j.recheck_at IS NULL OR j.recheck_at <= ?) "
                + more + "AND NOT EXISTS (SELECT 1 FROM pb_job b WHERE b.running_device_id = j.device_id) ";
    }

    private static String in(String column, Set<String> values) {
        return values == null ? "" : "AND " + column + " IN (" + String.join(", ", Collections.nCopies(
                Math.max(1, values.size()), "?")) + ") ";
    }

    private static List<Object> args(Instant now, Instant recheck, String deviceId, Set<String> sourceIds) {
        List<Object> args = new ArrayList<>(List.of(at(now), at(now)));
        args.add(at(recheck));
        args.add(at(recheck));
        if (deviceId != null) {
            args.add(deviceId);
        }
        if (sourceIds != null) {
            args.addAll(sourceIds.isEmpty() ? List.of("") : sourceIds);
        }
        return args;
    }

    @Override
    public List<JobDTO> due(Set<String> sourceIds, Instant now, int limit) {
        if (sourceIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = args(now, now, null, sourceIds);
        args.add(limit);
        return db.transaction(c -> JobRows.select(c, "SELECT " + JobRows.COLUMNS.replaceAll("(^|, )", "$1j.")
                + claimable(in("j.source_id", sourceIds)) + "ORDER BY j.queue_seq LIMIT ?", args.toArray()))
                .stream().map(JobRows.Row::job).toList();
    }

    @Override
    public Optional<JobClaimDTO> claim(String jobId, String owner, Instant now, Instant leaseExpiresAt) {
        return db.transaction(c -> {
            List<String> ids = ids(c, "SELECT j.id" + claimable("AND j.id = ? ") + "FOR UPDATE SKIP LOCKED",
                    at(now), at(now), null, null, jobId);
            return ids.isEmpty() ? Optional.<JobClaimDTO>empty() : take(c, ids.get(0), owner, now, leaseExpiresAt);
        });
    }

    @Override
    public Optional<JobClaimDTO> claimNext(String deviceId, Set<String> sourceIds, String owner, Instant now,
            Instant leaseExpiresAt) {
        List<Object> args = args(now, null, deviceId, sourceIds);
        args.add(CLAIM_CANDIDATES);
        return db.transaction(c -> {
            List<String> ids = ids(c, "SELECT j.id" + claimable((deviceId == null ? "" : "AND j.device_id = ? ")
                    + in("j.source_id", sourceIds)) + "ORDER BY j.queue_seq LIMIT ? FOR UPDATE"
                    // one device's claim waits out a short bookkeeping lock rather than answer "nothing due"
                    + (deviceId == null ? " SKIP LOCKED" : ""), args.toArray());
            for (String id : ids) {
                Optional<JobClaimDTO> claim = take(c, id, owner, now, leaseExpiresAt);
                if (claim.isPresent()) {
                    return claim;
                }
            }
            return Optional.<JobClaimDTO>empty();
        });
    }

    @Override
    public Set<String> devicesWithDueJobs(java.util.Collection<String> deviceIds, Instant now) {
        if (deviceIds.isEmpty()) {
            return Set.of();
        }
        List<String> all = List.copyOf(deviceIds);
        Set<String> due = new java.util.HashSet<>();
        // in chunks, so that a statement's parameters stay within what every database takes
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            List<Object> args = args(now, null, null, null);
            args.addAll(chunk);
            due.addAll(db.transaction(c -> ids(c, "SELECT DISTINCT j.device_id" + claimable("AND j.device_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") "), args.toArray())));
        }
        return due;
    }

    private static List<String> ids(Connection c, String sql, Object... args) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * Makes a row this transaction has locked RUNNING under a new claim; empty when its device started another job
     * meanwhile (the unique running_device_id refuses it, or its lock is held by the claim that did).
     */
    private static Optional<JobClaimDTO> take(Connection c, String id, String owner, Instant now,
            Instant leaseExpiresAt) throws SQLException {
        String claimId = UUID.randomUUID().toString();
        Savepoint before = c.setSavepoint();
        try {
            int n = update(c, "UPDATE pb_job SET state = 'RUNNING', reason = NULL, claim_id = ?, lease_owner = ?, "
                    + "lease_expires_at = ?, running_device_id = device_id, started_at = ?, recheck_at = NULL, "
                    + "stop_state = NULL, stop_reason = NULL WHERE id = ? AND state IN " + JobRows.NOT_STARTED,
                    claimId, owner, at(leaseExpiresAt), at(now), id);
            if (n == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            if (!busy(e)) {
                throw e;
            }
            c.rollback(before);
            return Optional.empty();
        }
        JobRows.log(c, id, now, "claimed by " + describe(owner));
        JobClaimDTO claim = new JobClaimDTO();
        claim.job = JobRows.find(c, id, false).orElseThrow().job();
        claim.claimId = claimId;
        claim.leaseExpiresAt = leaseExpiresAt;
        return Optional.of(claim);
    }

    /** A unique violation on the running device, or the wait for the claim that holds it running out. */
    private static boolean busy(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "HYT00".equals(state) || "40001".equals(state) || "40P01".equals(state)
                || "55P03".equals(state);
    }

    static String waitsForDevice(String deviceId) {
        return "waits for another job on device '" + deviceId + "'";
    }

    static String describe(String owner) {
        return owner != null && owner.startsWith("agent:") ? "the agent of device '" + owner.substring(6) + "'"
                : "node '" + owner + "'";
    }

    @Override
    public void waitFor(String jobId, JobState state, String reason, Instant now, Instant recheckAt) {
        db.transaction(c -> {
            if (update(c, "UPDATE pb_job SET state = ?, reason = ?, recheck_at = ? WHERE id = ? AND state IN "
                    + JobRows.NOT_STARTED + " AND (state <> ? OR reason IS NULL OR reason <> ?)", state.name(),
                    clip(reason, 4000), at(recheckAt), jobId, state.name(), reason) > 0) {
                JobRows.log(c, jobId, now, state + ": " + reason);
            } else if (recheckAt != null) {
                update(c, "UPDATE pb_job SET recheck_at = ? WHERE id = ? AND state IN " + JobRows.NOT_STARTED,
                        at(recheckAt), jobId);
            }
            return null;
        });
    }

    @Override
    public void release(String jobId, String claimId, JobState state, String reason, Instant now) {
        db.transaction(c -> {
            if (update(c, "UPDATE pb_job SET state = ?, reason = ?, claim_id = NULL, lease_owner = NULL, "
                    + "lease_expires_at = NULL, running_device_id = NULL, started_at = NULL WHERE id = ? "
                    + "AND state = 'RUNNING' AND claim_id = ?", state.name(), clip(reason, 4000), jobId,
                    claimId) > 0) {
                JobRows.log(c, jobId, now, state + ": " + reason);
            }
            return null;
        });
    }

    @Override
    public JobClaimDTO progress(String jobId, String claimId, Integer percent, String message, List<String> log,
            Instant now, Instant leaseExpiresAt) {
        return db.transaction(c -> {
            int n = update(c, "UPDATE pb_job SET lease_expires_at = ?, progress = COALESCE(?, progress), "
                    + "progress_message = COALESCE(?, progress_message) WHERE id = ? AND state = 'RUNNING' "
                    + "AND claim_id = ?", at(leaseExpiresAt), percent, clip(message, 2000), jobId, claimId);
            if (n == 0) {
                throw lost(c, jobId, claimId);
            }
            if (log != null) {
                for (String line : log) {
                    JobRows.log(c, jobId, now, line);
                }
            }
            JobRows.Row row = JobRows.find(c, jobId, false).orElseThrow();
            JobClaimDTO claim = new JobClaimDTO();
            claim.job = row.job();
            claim.claimId = claimId;
            claim.leaseExpiresAt = leaseExpiresAt;
            if (row.stopState() != null) {
                claim.stopRequested = true;
                claim.stopReason = row.stopReason();
            } else if (!now.isBefore(row.job().deadline)) {
                claim.stopRequested = true;
                claim.stopReason = "the deadline " + row.job().deadline + " passed";
            }
            return claim;
        });
    }

    private static ClaimLostException lost(Connection c, String jobId, String claimId) throws SQLException {
        Optional<JobRows.Row> row = JobRows.find(c, jobId, false);
        if (row.isEmpty()) {
            return new ClaimLostException("job " + jobId + " does not exist");
        }
        JobDTO job = row.get().job();
        if (!Objects.equals(claimId, row.get().claimId())) {
            return new ClaimLostException("claim " + claimId + " of job " + jobId + " is not held: the job is "
                    + job.state + (row.get().claimId() == null ? "" : " under another claim"));
        }
        return new ClaimLostException("job " + jobId + " has ended " + job.state
                + (job.reason == null ? "" : ": " + job.reason));
    }

    @Override
    public void log(String jobId, Instant at, String message) {
        db.transaction(c -> {
            JobRows.log(c, jobId, at, message);
            return null;
        });
    }

    @Override
    public List<JobStopDTO> renew(String owner, Set<String> jobIds, Instant leaseExpiresAt) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(List.of(at(leaseExpiresAt), owner));
        args.addAll(jobIds);
        String held = in("id", jobIds);
        return db.transaction(c -> {
            update(c, "UPDATE pb_job SET lease_expires_at = ? WHERE lease_owner = ? AND state = 'RUNNING' " + held,
                    args.toArray());
            List<JobStopDTO> stops = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, claim_id, stop_state, stop_reason FROM pb_job "
                    + "WHERE lease_owner = ? AND state = 'RUNNING' AND stop_state IS NOT NULL " + held)) {
                for (int i = 1; i < args.size(); i++) {
                    s.setObject(i, args.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        JobStopDTO stop = new JobStopDTO();
                        stop.jobId = r.getString(1);
                        stop.claimId = r.getString(2);
                        stop.state = JobState.valueOf(r.getString(3));
                        stop.reason = r.getString(4);
                        stops.add(stop);
                    }
                }
            }
            return stops;
        });
    }

    @Override
    public JobDTO end(JobEndDTO end) {
        if (end.state == null || !end.state.isFinal()) {
            throw new IllegalArgumentException("a job ends in a final state, not " + end.state);
        }
        return db.transaction(c -> {
            JobRows.Row row = JobRows.find(c, end.jobId, true)
                    .orElseThrow(() -> new ClaimLostException("job " + end.jobId + " does not exist"));
            if (row.job().state != JobState.RUNNING || !Objects.equals(row.claimId(), end.claimId)) {
                if (row.job().state.isFinal() && row.reported() && Objects.equals(row.claimId(), end.claimId)) {
                    // the same report again is a retry of its delivery; another one contradicts what was recorded
                    if (row.job().state != end.state || !statuses(end.results).equals(statuses(row.job().results))) {
                        throw new ClaimLostException("state: the job was already recorded as " + row.job().state
                                + " with results " + statuses(row.job().results) + " under claim " + end.claimId
                                + "; this report says " + end.state + " with results " + statuses(end.results));
                    }
                    return row.job();
                }
                throw lost(c, end.jobId, end.claimId);
            }
            return endLocked(c, row, end, true);
        });
    }

    /** Each update's result status, in update id order. */
    private static Map<String, UpdateStatus> statuses(List<UpdateResultDTO> results) {
        Map<String, UpdateStatus> statuses = new TreeMap<>();
        if (results != null) {
            results.forEach(r -> statuses.putIfAbsent(r.updateId, r.status));
        }
        return statuses;
    }

    /** Ends a RUNNING job whose row this transaction holds: the conditional UPDATE, results, next attempt. */
    private JobDTO endLocked(Connection c, JobRows.Row row, JobEndDTO end, boolean reported) throws SQLException {
        JobDTO job = row.job();
        Instant now = end.endedAt;
        if (reported && end.state == JobState.SUCCEEDED && row.stopState() == JobState.CANCELLED) {
            // the work was done before the executor heard of the cancel: the record says what happened
            end.reason = "succeeded: the cancel (" + row.stopReason() + ") came after the work was done"
                    + (end.reason == null ? "" : "; " + end.reason);
            JobRows.log(c, job.id, now, "the cancel came after the work was done: the job succeeded");
        }
        job.found = end.found;
        job.results = end.results;
        if (end.sourceType != null) {
            job.sourceType = end.sourceType;
        }
        if (end.sourceBundle != null) {
            job.sourceBundle = end.sourceBundle;
            job.sourceBundleVersion = end.sourceBundleVersion;
        }
        int n = update(c, "UPDATE pb_job SET state = ?, reason = ?, ended_at = ?, body = ?, source_type = ?, "
                + "running_device_id = NULL, lease_expires_at = NULL, progress = ?, stop_state = NULL, reported = ? "
                + "WHERE id = ? AND state = 'RUNNING' AND claim_id = ?", end.state.name(), clip(end.reason, 4000),
                at(now), JobRows.body(job), job.sourceType, end.state == JobState.SUCCEEDED ? 100 : job.progress,
                reported, job.id, row.claimId());
        if (n != 1) {
            throw lost(c, job.id, row.claimId());
        }
        if (end.log != null) {
            for (String line : end.log) {
                JobRows.log(c, job.id, now, line);
            }
        }
        JobRows.log(c, job.id, now, "ended " + end.state + (end.reason == null ? "" : ": " + end.reason));
        job.state = end.state;
        job.reason = end.reason;
        job.endedAt = now;
        records.recordResults(c, job, end.osFamily, at(now));
        if (end.retry) {
            retry(c, job, end.maxAttempts, end.retryWaitsFor, now);
        }
        return JobRows.find(c, job.id, false).orElseThrow().job();
    }

    /** Queues the next attempt of an interrupted job in the caller's transaction, under the retry policy. */
    private static void retry(Connection c, JobDTO interrupted, int maxAttempts, String waitsFor, Instant now)
            throws SQLException {
        if (interrupted.attempt >= maxAttempts) {
            JobRows.log(c, interrupted.id, now, "not retried: " + interrupted.attempt + " attempt(s) made");
            return;
        }
        if (!now.isBefore(interrupted.deadline)) {
            JobRows.log(c, interrupted.id, now, "not retried: its deadline " + interrupted.deadline + " has passed");
            return;
        }
        JobDTO next = new JobDTO();
        next.id = UUID.randomUUID().toString();
        next.kind = interrupted.kind;
        next.deviceId = interrupted.deviceId;
        next.sourceId = interrupted.sourceId;
        next.requested = interrupted.requested;
        next.createdAt = now;
        next.deadline = interrupted.deadline;
        next.attempt = interrupted.attempt + 1;
        next.retryOf = interrupted.id;
        next.requestedBy = interrupted.requestedBy;
        next.runId = interrupted.runId;
        next.state = waitsFor == null ? JobState.QUEUED : JobState.WAITING;
        next.reason = waitsFor;
        insert(c, next);
        JobRows.log(c, next.id, now, "retries job " + interrupted.id + " (attempt " + next.attempt + ")");
        JobRows.log(c, interrupted.id, now, "retried as job " + next.id + " (attempt " + next.attempt + ")");
    }

    @Override
    public Optional<JobDTO> cancel(String jobId, String reason, Instant now) {
        return db.transaction(c -> {
            Optional<JobRows.Row> found = JobRows.find(c, jobId, true);
            if (found.isEmpty() || found.get().job().state.isFinal()) {
                return Optional.<JobDTO>empty();
            }
            if (found.get().job().state == JobState.RUNNING) {
                if (update(c, "UPDATE pb_job SET stop_state = 'CANCELLED', stop_reason = ? WHERE id = ? "
                        + "AND stop_state IS NULL", clip(reason, 2000), jobId) > 0) {
                    JobRows.log(c, jobId, now, "cancel requested: " + reason);
                }
            } else {
                update(c, "UPDATE pb_job SET state = 'CANCELLED', reason = ?, ended_at = ?, recheck_at = NULL "
                        + "WHERE id = ?", clip(reason, 4000), at(now), jobId);
                JobRows.log(c, jobId, now, "ended CANCELLED: " + reason);
            }
            return JobRows.find(c, jobId, false).map(JobRows.Row::job);
        });
    }

    @Override
    public List<JobDTO> reap(Set<String> heldHere, Instant now, Instant deadlineGraceBefore, int maxAttempts) {
        Set<String> held = heldHere.isEmpty() ? Set.of("") : heldHere;
        String notHeld = "AND id NOT IN (" + String.join(", ", Collections.nCopies(held.size(), "?")) + ") ";
        List<JobDTO> ended = new ArrayList<>();
        // leases that ran out: their holder stopped renewing them
        String leaseOut = "state = 'RUNNING' AND lease_expires_at < ? " + notHeld;
        eachJob(ids("SELECT id FROM pb_job WHERE " + leaseOut + unrecordable() + "ORDER BY lease_expires_at LIMIT ?",
                around(at(now), held, REAP_BATCH)), leaseOut, around(at(now), held, null), ended, row -> {
                    String stopped = describe(row.leaseOwner()) + " stopped renewing its lease at "
                            + row.leaseExpiresAt();
                    boolean late = !now.isBefore(row.job().deadline);
                    if (row.stopState() == JobState.CANCELLED) {
                        // the cancel stands: the work must not be tried again
                        return interrupted(row, JobState.CANCELLED, "cancelled (" + row.stopReason() + "); "
                                + stopped + " before it confirmed the cancel", false, maxAttempts, now);
                    }
                    return interrupted(row, late ? JobState.TIMED_OUT : JobState.INTERRUPTED,
                            late ? "the deadline " + row.job().deadline + " passed; " + stopped : stopped, !late,
                            maxAttempts, now);
                });
        // past the deadline and a grace period, and still not ended by whoever holds it
        String overdue = "state = 'RUNNING' AND deadline < ? " + notHeld;
        eachJob(ids("SELECT id FROM pb_job WHERE " + overdue + unrecordable() + "LIMIT ?",
                around(at(deadlineGraceBefore), held, REAP_BATCH)), overdue,
                around(at(deadlineGraceBefore), held, null), ended,
                row -> interrupted(row, JobState.TIMED_OUT, "the deadline " + row.job().deadline + " passed and "
                        + describe(row.leaseOwner()) + " did not end the job", false, maxAttempts, now));
        // never started before the deadline
        ended.addAll(db.transaction(c -> {
            List<JobDTO> out = new ArrayList<>();
            for (JobRows.Row row : JobRows.select(c, "SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE state IN "
                    + JobRows.NOT_STARTED + " AND deadline <= ? LIMIT ? FOR UPDATE SKIP LOCKED", at(now),
                    REAP_BATCH)) {
                String reason = "the deadline " + row.job().deadline + " passed before the job could start"
                        + (row.job().reason == null ? "" : " (" + row.job().reason + ")");
                update(c, "UPDATE pb_job SET state = 'TIMED_OUT', reason = ?, ended_at = ?, recheck_at = NULL "
                        + "WHERE id = ?", clip(reason, 4000), at(now), row.job().id);
                JobRows.log(c, row.job().id, now, "ended TIMED_OUT: " + reason);
                out.add(JobRows.find(c, row.job().id, false).orElseThrow().job());
            }
            return out;
        }));
        return ended;
    }

    private List<JobDTO> endEach(String where, Object[] args, Ending ending, boolean withoutResults) {
        return db.transaction(c -> {
            List<JobDTO> out = new ArrayList<>();
            for (JobRows.Row row : JobRows.select(c, "SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE " + where
                    + "AND id = ? FOR UPDATE SKIP LOCKED", args)) {
                JobEndDTO end = ending.of(row);
                if (withoutResults) {
                    end.results = null;
                    end.reason = end.reason + " (its results could not be recorded)";
                }
                out.add(endLocked(c, row, end, false));
            }
            return out;
        });
    }

    /** Leaves out the jobs this node could not record, so they do not hold back the others every pass. */
    private String unrecordable() {
        List<String> ids = List.copyOf(unrecordable);
        return ids.isEmpty() ? "" : "AND id NOT IN ('" + String.join("', '", ids.stream()
                .map(id -> id.replace("'", "''")).toList()) + "') ";
    }

    private List<String> ids(String sql, Object... args) {
        return db.transaction(c -> ids(c, sql, args));
    }

    private interface Ending {
        JobEndDTO of(JobRows.Row row);
    }

    /**
     * Ends each job in a transaction of its own, if it still matches {@code where} (parameters {@code args}, then its
     * id): one job that cannot be recorded is logged once and never stops the others.
     */
    private void eachJob(List<String> ids, String where, Object[] args, List<JobDTO> ended, Ending ending) {
        for (String id : ids) {
            Object[] withId = args.clone();
            withId[withId.length - 1] = id;
            try {
                ended.addAll(endEach(where, withId, ending, false));
            } catch (RuntimeException e) {
                try {
                    // the job still ends, without the results that could not be stored
                    ended.addAll(endEach(where, withId, ending, true));
                    LOG.error("job {} ended without its results: they could not be recorded", id, e);
                } catch (RuntimeException again) {
                    if (unrecordable.add(id)) {
                        LOG.error("job {} could not be ended and is left out of later reaper passes", id, again);
                    }
                }
            }
        }
    }

    private static Object[] around(Object first, Set<String> middle, Object last) {
        List<Object> args = new ArrayList<>();
        args.add(first);
        args.addAll(middle);
        args.add(last);
        return args.toArray();
    }

    /** The end of a job its executor did not end: every requested update reads as interrupted with the reason. */
    private static JobEndDTO interrupted(JobRows.Row row, JobState state, String reason, boolean retry,
            int maxAttempts, Instant now) {
        JobEndDTO end = new JobEndDTO();
        end.jobId = row.job().id;
        end.claimId = row.claimId();
        end.state = state;
        end.reason = reason;
        end.retry = retry;
        end.maxAttempts = maxAttempts;
        end.endedAt = now;
        if (row.job().kind != JobKind.SCAN && row.job().requested != null) {
            List<UpdateResultDTO> results = new ArrayList<>();
            for (UpdateDTO u : row.job().requested) {
                UpdateResultDTO r = new UpdateResultDTO();
                r.updateId = u.id;
                r.title = u.title;
                r.status = UpdateStatus.INTERRUPTED;
                r.message = reason;
                r.versionBefore = u.installedVersion;
                results.add(r);
            }
            end.results = results;
        }
        return end;
    }
}
