package io.patchbay.store.internal;

import static io.patchbay.store.internal.Rows.parse;
import static io.patchbay.store.internal.Rows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobLogDTO;
import io.patchbay.api.dto.JobState;

/** Reading and writing the rows of pb_job and pb_job_log: one job, its log lines, and the columns that change. */
final class JobRows {
    /** Log lines kept per job; later ones are counted. */
    static final int MAX_LOG_LINES = 2_000;
    static final int MAX_LOG_LINE = 4_000;
    static final String COLUMNS = "id, run_id, device_id, source_id, kind, state, ended_at, body, body_format, "
            + "source_type, reason, attempt, retry_of, follows, requested_by, created_at, deadline, started_at, "
            + "progress, progress_message, log_dropped, claim_id, lease_owner, lease_expires_at, stop_state, "
            + "stop_reason, reported";
    static final String ACTIVE = "('QUEUED', 'WAITING', 'RUNNING')";
    static final String NOT_STARTED = "('QUEUED', 'WAITING')";

    private JobRows() {
    }

    /** A job row as read, with what only the queue needs beside the job. */
    record Row(JobDTO job, String claimId, String leaseOwner, Instant leaseExpiresAt, JobState stopState,
            String stopReason, int logDropped, boolean reported) {
    }

    static Row read(ResultSet r) throws SQLException {
        JobDTO j = parse(r.getString("body"), JobDTO.class);
        int format = r.getInt("body_format");
        j.id = r.getString("id");
        j.runId = r.getString("run_id");
        j.deviceId = r.getString("device_id");
        j.sourceId = r.getString("source_id");
        j.kind = JobKind.valueOf(r.getString("kind"));
        j.state = JobState.valueOf(r.getString("state"));
        if (format >= 2) {
            // the columns hold what changes; a body of the old engine holds all of it already
            j.reason = r.getString("reason");
            j.attempt = r.getInt("attempt");
            j.retryOf = r.getString("retry_of");
            j.follows = r.getString("follows");
            j.requestedBy = r.getString("requested_by");
            j.createdAt = instant(r, "created_at");
            j.deadline = instant(r, "deadline");
            j.startedAt = instant(r, "started_at");
            j.endedAt = instant(r, "ended_at");
            j.progress = r.getInt("progress");
            j.progressMessage = r.getString("progress_message");
            String type = r.getString("source_type");
            if (type != null) {
                j.sourceType = type;
            }
            j.log = new ArrayList<>();
        }
        String stop = r.getString("stop_state");
        return new Row(j, r.getString("claim_id"), r.getString("lease_owner"), instant(r, "lease_expires_at"),
                stop == null ? null : JobState.valueOf(stop), r.getString("stop_reason"), r.getInt("log_dropped"), r.getBoolean("reported"));
    }

    static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Timestamp at(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    /** One job with its log, optionally locking its row. */
    static Optional<Row> find(Connection c, String id, boolean lock) throws SQLException {
        List<Row> rows = select(c, "SELECT " + COLUMNS + " FROM pb_job WHERE id = ?" + (lock ? " FOR UPDATE" : ""),
                id);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        withLogs(c, rows);
        return Optional.of(rows.get(0));
    }

    static List<Row> select(Connection c, String sql, Object... args) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(read(r));
                }
            }
        }
        return rows;
    }

    /** Adds each job's log lines, read with one query per hundred jobs. */
    static void withLogs(Connection c, List<Row> rows) throws SQLException {
        Map<String, JobDTO> byId = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.job().log != null && row.job().log.isEmpty()) {
                byId.put(row.job().id, row.job());
            }
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        for (int from = 0; from < ids.size(); from += 100) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + 100));
            String marks = String.join(", ", java.util.Collections.nCopies(part.size(), "?"));
            try (PreparedStatement s = c.prepareStatement("SELECT job_id, at, message FROM pb_job_log WHERE job_id IN ("
                    + marks + ") ORDER BY job_id, seq")) {
                for (int i = 0; i < part.size(); i++) {
                    s.setString(i + 1, part.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        JobLogDTO line = new JobLogDTO();
                        line.at = instant(r, "at");
                        line.message = r.getString("message");
                        byId.get(r.getString("job_id")).log.add(line);
                    }
                }
            }
        }
        for (Row row : rows) {
            if (row.logDropped() > 0) {
                JobLogDTO more = new JobLogDTO();
                more.at = row.job().endedAt;
                more.message = row.logDropped() + " more lines were not kept";
                row.job().log.add(more);
            }
        }
    }

    /** Adds a line to a job's log, or counts it when the job has as many as are kept. */
    static void log(Connection c, String jobId, Instant at, String message) throws SQLException {
        String line = message == null ? "" : message.length() > MAX_LOG_LINE ? message.substring(0, MAX_LOG_LINE)
                : message;
        if (update(c, "UPDATE pb_job SET log_lines = log_lines + 1 WHERE id = ? AND log_lines < ?", jobId,
                MAX_LOG_LINES) == 0) {
            update(c, "UPDATE pb_job SET log_dropped = log_dropped + 1 WHERE id = ?", jobId);
            return;
        }
        int seq;
        try (PreparedStatement s = c.prepareStatement("SELECT log_lines FROM pb_job WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                seq = r.getInt(1);
            }
        }
        update(c, "INSERT INTO pb_job_log (job_id, seq, at, message) VALUES (?, ?, ?, ?)", jobId, seq, at(at), line);
    }

    /** The parts of a job kept as its body: what does not change once it is claimed or ended. */
    static String body(JobDTO job) {
        JobDTO b = new JobDTO();
        b.requested = job.requested;
        b.found = job.found;
        b.results = job.results;
        b.sourceType = job.sourceType;
        b.sourceBundle = job.sourceBundle;
        b.sourceBundleVersion = job.sourceBundleVersion;
        return Rows.json(b);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
