package io.patchbay.store.internal;

import static io.patchbay.store.internal.Rows.json;
import static io.patchbay.store.internal.Rows.parse;
import static io.patchbay.store.internal.Rows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateResultRowDTO;
import io.patchbay.api.dto.UpdateStatus;

/**
 * What ended jobs produced, as the store keeps it for queries: per-update results, and, from a successful scan, what
 * the device misses now. The jobs themselves are rows of the queue ({@link StoreJobQueue}).
 */
final class JobRecords {
    private final Database db;

    JobRecords(Database db) {
        this.db = db;
    }

    /**
     * Records what an ended job produced, in the caller's transaction (the one that ends the job): one row per update
     * result, and, from a successful scan, what the device misses now; an install that succeeded takes its updates
     * off that list.
     */
    void recordResults(Connection c, JobDTO job, String osFamily, Timestamp ended) throws SQLException {
        if (job.results != null) {
            Map<String, UpdateDTO> requested = new HashMap<>();
            if (job.requested != null) {
                job.requested.forEach(u -> requested.put(u.id, u));
            }
            Set<String> recorded = new HashSet<>();
            for (UpdateResultDTO r : job.results) {
                if (!recorded.add(r.updateId)) {
                    // a job stored before repeated update ids were refused: its first result per update stands
                    continue;
                }
                UpdateDTO u = requested.get(r.updateId);
                update(c, "INSERT INTO pb_job_result (job_id, update_id, run_id, device_id, source_id, kb, title, "
                        + "status, message, version_before, version_after, ended_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", job.id, r.updateId, job.runId,
                        job.deviceId, job.sourceId, u == null ? null : u.kb,
                        r.title != null ? r.title : u == null ? null : u.title, r.status.name(), r.message,
                        r.versionBefore, r.versionAfter, ended);
                if (job.kind == JobKind.INSTALL && r.status == UpdateStatus.SUCCEEDED) {
                    update(c, "DELETE FROM pb_device_update WHERE device_id = ? AND source_id = ? "
                            + "AND update_id = ?", job.deviceId, job.sourceId, r.updateId);
                }
            }
        }
        if (job.kind == JobKind.SCAN && job.state == JobState.SUCCEEDED && job.found != null) {
            update(c, "DELETE FROM pb_device_update WHERE device_id = ? AND source_id = ?", job.deviceId,
                    job.sourceId);
            for (UpdateDTO u : job.found) {
                update(c, "INSERT INTO pb_device_update (device_id, source_id, update_id, source_type, os_family, "
                        + "title, kb, severity, classification, blocked, found_at, body) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", job.deviceId, job.sourceId, u.id,
                        u.sourceType, osFamily, u.title, u.kb, u.severity == null ? "unspecified" : u.severity,
                        u.classification, u.blockedBy != null, ended, json(u));
            }
            update(c, "DELETE FROM pb_device_scan WHERE device_id = ? AND source_id = ?", job.deviceId,
                    job.sourceId);
            update(c, "INSERT INTO pb_device_scan (device_id, source_id, scanned_at) VALUES (?, ?, ?)",
                    job.deviceId, job.sourceId, ended);
        }
    }

    /** An ended job as recorded. */
    Optional<JobDTO> get(String jobId) {
        return db.transaction(c -> JobRows.find(c, jobId, false).map(JobRows.Row::job)
                .filter(j -> j.state.isFinal()));
    }

    /** The ended jobs of a run, by id, in the order they ended. */
    static Map<String, JobDTO> ofRun(Connection c, String runId) throws SQLException {
        Map<String, JobDTO> recorded = new LinkedHashMap<>();
        List<JobRows.Row> rows = JobRows.select(c, "SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE run_id = ? "
                + "AND state NOT IN " + JobRows.ACTIVE + " ORDER BY ended_at, queue_seq", runId);
        JobRows.withLogs(c, rows);
        rows.forEach(r -> recorded.put(r.job().id, r.job()));
        return recorded;
    }

    /** The jobs of a run not ended yet, oldest first. */
    static List<JobDTO> activeOfRun(Connection c, String runId) throws SQLException {
        List<JobRows.Row> rows = JobRows.select(c, "SELECT " + JobRows.COLUMNS + " FROM pb_job WHERE run_id = ? "
                + "AND state IN " + JobRows.ACTIVE + " ORDER BY queue_seq", runId);
        JobRows.withLogs(c, rows);
        return rows.stream().map(JobRows.Row::job).toList();
    }

    /** Per-update results, newest first, filtered by run name, update id or KB, device and title. */
    PageDTO<UpdateResultRowDTO> results(String runName, String update, String deviceId, String title, String cursor,
            int limit) {
        int offset = Rows.offset(cursor, limit);
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT r.job_id, r.run_id, run.name, r.device_id, "
                    + "r.source_id, r.update_id, r.kb, r.title, r.status, r.message, r.version_before, "
                    + "r.version_after, r.ended_at FROM pb_job_result r LEFT JOIN pb_run run ON run.id = r.run_id "
                    + "WHERE (CAST(? AS VARCHAR) IS NULL OR LOWER(run.name) " + Rows.LIKE + ") "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR LOWER(r.update_id) = ? OR LOWER(r.kb) = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR r.device_id = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR LOWER(r.title) " + Rows.LIKE + ") "
                    + "ORDER BY r.ended_at DESC, r.job_id, r.update_id LIMIT ? OFFSET ?")) {
                String u = update == null ? null : update.toLowerCase(Locale.ROOT);
                s.setString(1, runName);
                s.setString(2, Rows.containing(runName));
                s.setString(3, u);
                s.setString(4, u);
                s.setString(5, u);
                s.setString(6, deviceId);
                s.setString(7, deviceId);
                s.setString(8, title);
                s.setString(9, Rows.containing(title));
                return Rows.page(s, 10, offset, limit, r -> {
                    UpdateResultRowDTO row = new UpdateResultRowDTO();
                    row.jobId = r.getString(1);
                    row.runId = r.getString(2);
                    row.runName = r.getString(3);
                    row.deviceId = r.getString(4);
                    row.sourceId = r.getString(5);
                    row.updateId = r.getString(6);
                    row.kb = r.getString(7);
                    row.title = r.getString(8);
                    row.status = UpdateStatus.valueOf(r.getString(9));
                    row.message = r.getString(10);
                    row.versionBefore = r.getString(11);
                    row.versionAfter = r.getString(12);
                    row.endedAt = r.getTimestamp(13).toInstant();
                    return row;
                });
            }
        });
    }
}
