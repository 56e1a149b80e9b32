package io.patchbay.store.internal;

import static io.patchbay.store.internal.Rows.json;
import static io.patchbay.store.internal.Rows.parse;
import static io.patchbay.store.internal.Rows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.RunRecords;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;
import io.patchbay.api.dto.RunRecordDTO.RunJobDTO;

/** Run rows ({@code pb_run}) and the jobs each run knows of ({@code pb_run_job}). */
@Component(service = RunRecords.class)
public class StoreRunRecords implements RunRecords {
    private static final int MAX_FAILURE = 2000;
    private final Database db;

    @Activate
    public StoreRunRecords(@Reference Database db) {
        this.db = db;
    }

    @Override
    public void create(RunDTO run, String actor) {
        db.transaction(c -> {
            update(c, "INSERT INTO pb_run (id, name, created_at, deadline, body) VALUES (?, ?, ?, ?, ?)", run.id,
                    run.name, Timestamp.from(run.createdAt), Timestamp.from(run.deadline), json(run));
            update(c, "INSERT INTO pb_audit (at, actor, action, entity, entity_id, after_body) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", Timestamp.from(run.createdAt), actor == null ? "unknown" : actor,
                    "create", "run", run.id, json(run));
            return null;
        });
    }

    @Override
    public Optional<RunRecordDTO> get(String id) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body, failure FROM pb_run WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(record(c, r)) : Optional.<RunRecordDTO>empty();
                }
            }
        });
    }

    @Override
    public Optional<RunDTO> run(String id) {
        return Rows.body(db, "SELECT body FROM pb_run WHERE id = ?", id, RunDTO.class);
    }

    @Override
    public Optional<String> follower(String jobId) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT job_id FROM pb_run_job WHERE follows = ?")) {
                s.setString(1, jobId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public PageDTO<RunRecordDTO> page(String name, String cursor, int limit) {
        int offset = Rows.offset(cursor, limit);
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body, failure FROM pb_run WHERE "
                    + "CAST(? AS VARCHAR) IS NULL OR LOWER(name) " + Rows.LIKE
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                s.setString(1, name);
                s.setString(2, Rows.containing(name));
                return Rows.page(s, 3, offset, limit, r -> record(c, r));
            }
        });
    }

    @Override
    public List<RunRecordDTO> openAt(Instant now) {
        return db.transaction(c -> {
            List<RunRecordDTO> open = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT body, failure FROM pb_run WHERE deadline > ? "
                    + "ORDER BY created_at, id")) {
                s.setTimestamp(1, Timestamp.from(now));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        open.add(record(c, r));
                    }
                }
            }
            return open;
        });
    }

    /** The run of a row holding its body and failure, with the jobs it knows of. */
    private static RunRecordDTO record(Connection c, ResultSet r) throws SQLException {
        RunRecordDTO record = new RunRecordDTO();
        record.run = parse(r.getString(1), RunDTO.class);
        record.failure = r.getString(2);
        record.jobs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT job_id, follows, handled FROM pb_run_job "
                + "WHERE run_id = ? ORDER BY seq")) {
            s.setString(1, record.run.id);
            try (ResultSet j = s.executeQuery()) {
                while (j.next()) {
                    RunJobDTO job = new RunJobDTO();
                    job.jobId = j.getString(1);
                    job.follows = j.getString(2);
                    job.handled = j.getBoolean(3);
                    record.jobs.add(job);
                }
            }
        }
        return record;
    }

    @Override
    public void handedOver(String runId, List<String> jobIds, String follows) {
        db.transaction(c -> {
            for (String jobId : jobIds) {
                insertIfAbsent(c, runId, jobId, follows, false);
            }
            return null;
        });
    }

    @Override
    public void handled(String runId, String jobId) {
        db.transaction(c -> {
            if (update(c, "UPDATE pb_run_job SET handled = TRUE WHERE job_id = ?", jobId) == 0) {
                insertIfAbsent(c, runId, jobId, null, true);
            }
            return null;
        });
    }

    private static void insertIfAbsent(Connection c, String runId, String jobId, String follows, boolean handled)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pb_run_job WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        update(c, "INSERT INTO pb_run_job (run_id, job_id, follows, handled) VALUES (?, ?, ?, ?)", runId, jobId,
                follows, handled);
    }

    @Override
    public void failed(String runId, String reason) {
        String kept = reason.length() > MAX_FAILURE ? reason.substring(0, MAX_FAILURE) : reason;
        db.transaction(c -> update(c, "UPDATE pb_run SET failure = ? WHERE id = ? AND failure IS NULL", kept,
                runId));
    }
}
