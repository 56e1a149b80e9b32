package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.patchbay.api.Devices;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.JobListener;
import io.patchbay.api.Jobs;
import io.patchbay.api.Paging;
import io.patchbay.api.PolicyRules;
import io.patchbay.api.Runs;
import io.patchbay.api.Sources;
import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.ComplianceDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.SourceDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateResultRowDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.dto.UpdateSummaryDTO;

/**
 * What happened, kept: every ended job and its per-update results, what each device's latest scan found missing,
 * and the runs that group jobs. A policy run scans each device and, as each scan ends, installs what the policy
 * selects from what it found.
 */
@Component(service = { JobListener.class, Runs.class, UpdateIndex.class })
public class History implements JobListener, Runs, UpdateIndex {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);

    private final Database db;
    private final Jobs jobs;
    private final Sources sources;

    // the highest-ranked device directory, which follows the store's own and every other
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;
    private final Documents<PolicyDTO> policies;
    private final Documents<GroupDTO> groups;
    private final Documents<DeviceDTO> storedDevices;

    @Activate
    public History(@Reference Database db, @Reference Jobs jobs, @Reference Sources sources) {
        this.db = db;
        this.jobs = jobs;
        this.sources = sources;
        this.policies = Kinds.policies(db);
        this.groups = Kinds.groups(db);
        this.storedDevices = Kinds.devices(db);
    }

    // ---- recording ----

    @Override
    public void jobEnded(JobDTO job) {
        // the next step first, then the record: a run never looks done between its scan and its install
        if (job.runId != null && job.kind == JobKind.SCAN && job.state == JobState.SUCCEEDED) {
            installSelected(job);
        }
        String os = devices.get(job.deviceId).map(d -> d.osFamily).orElse(null);
        db.transaction(c -> {
            Timestamp ended = Timestamp.from(job.endedAt == null ? Instant.now() : job.endedAt);
            update(c, "DELETE FROM pb_job WHERE id = ?", job.id);
            update(c, "INSERT INTO pb_job (id, run_id, device_id, source_id, kind, state, ended_at, body) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", job.id, job.runId, job.deviceId, job.sourceId,
                    job.kind.name(), job.state.name(), ended, json(job));
            if (job.results != null) {
                update(c, "DELETE FROM pb_job_result WHERE job_id = ?", job.id);
                Map<String, UpdateDTO> requested = new HashMap<>();
                if (job.requested != null) {
                    job.requested.forEach(u -> requested.put(u.id, u));
                }
                for (UpdateResultDTO r : job.results) {
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
                            u.sourceType, os, u.title, u.kb, u.severity == null ? "unspecified" : u.severity,
                            u.classification, u.blockedBy != null, ended, json(u));
                }
                update(c, "DELETE FROM pb_device_scan WHERE device_id = ? AND source_id = ?", job.deviceId,
                        job.sourceId);
                update(c, "INSERT INTO pb_device_scan (device_id, source_id, scanned_at) VALUES (?, ?, ?)",
                        job.deviceId, job.sourceId, ended);
            }
            return null;
        });
        if (job.kind == JobKind.INSTALL && job.results != null && job.results.stream()
                .anyMatch(r -> r.status == UpdateStatus.SUCCEEDED && r.rebootRequired)) {
            markPendingReboot(job.deviceId);
        }
    }

    /** A stored device whose update needs a reboot is marked so until it reports otherwise. */
    private void markPendingReboot(String deviceId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceDTO> d = storedDevices.get(deviceId);
            if (d.isEmpty() || d.get().pendingReboot) {
                return;
            }
            d.get().pendingReboot = true;
            try {
                storedDevices.update(deviceId, d.get(), d.get().version, "patchbay");
                return;
            } catch (io.patchbay.api.ConflictException e) {
                // changed meanwhile by someone else: read it again
            }
        }
    }

    /** The second step of a policy run on a device: install what the policy selects from what the scan found. */
    private void installSelected(JobDTO scan) {
        Optional<RunDTO> run = loadRun(scan.runId);
        if (run.isEmpty() || run.get().policyId == null) {
            return;
        }
        Optional<PolicyDTO> policy = policies.get(run.get().policyId);
        if (policy.isEmpty()) {
            LOG.warn("Run {}: its policy {} no longer exists; nothing is installed", scan.runId, run.get().policyId);
            return;
        }
        Instant now = Instant.now();
        List<UpdateDTO> selected = scan.found.stream().filter(u -> u.blockedBy == null)
                .filter(u -> PolicyRules.selects(policy.get(), u, now)).toList();
        if (selected.isEmpty() || !now.isBefore(run.get().deadline)) {
            return;
        }
        JobRequestDTO install = new JobRequestDTO();
        install.kind = JobKind.INSTALL;
        install.deviceId = scan.deviceId;
        install.sourceId = scan.sourceId;
        install.updates = selected;
        install.deadline = run.get().deadline;
        install.requestedBy = run.get().requestedBy;
        install.runId = scan.runId;
        jobs.submit(install);
    }

    // ---- runs ----

    @Override
    public RunDTO start(RunDTO run, String actor) {
        if (run == null) {
            throw new InvalidInputException("body", null, "a run is required");
        }
        run.name = Check.required("name", run.name, 255);
        run.options = Check.options("options", run.options, 100, 64, 2000);
        Check.range("durationMinutes", run.durationMinutes, 5, 1440);
        boolean byPolicy = run.policyId != null;
        boolean byUpdate = run.sourceId != null || run.updateId != null;
        if (byPolicy == byUpdate) {
            throw new InvalidInputException("policyId", run.policyId,
                    "a run needs either a policyId, or a sourceId and updateId");
        }
        List<String> listed = Check.strings("deviceIds", run.deviceIds, 10_000, 64);
        if (listed != null) {
            for (int i = 0; i < listed.size(); i++) {
                if (devices.get(listed.get(i)).isEmpty()) {
                    throw new InvalidInputException("deviceIds[" + i + "]", listed.get(i), "no such device");
                }
            }
        }
        List<JobRequestDTO> requests = new ArrayList<>();
        Instant now = Instant.now();
        run.id = UUID.randomUUID().toString();
        run.createdAt = now;
        run.deadline = now.plus(Duration.ofMinutes(run.durationMinutes));
        run.requestedBy = actor;
        if (byPolicy) {
            if (policies.get(run.policyId).isEmpty()) {
                throw new InvalidInputException("policyId", run.policyId, "no such policy");
            }
            List<String> targets = listed != null ? listed : devicesWithPolicy(run.policyId);
            if (targets.isEmpty()) {
                throw new InvalidInputException("deviceIds", null,
                        "no device is in a group with this policy; name the devices to run it on");
            }
            List<String> wanted = Check.strings("sourceIds", run.sourceIds, 50, 64);
            List<SourceDTO> present = sources.sources().stream().filter(s -> "ACTIVE".equals(s.state))
                    .filter(s -> wanted == null || wanted.isEmpty() || wanted.contains(s.id)).toList();
            if (wanted != null) {
                for (int i = 0; i < wanted.size(); i++) {
                    String id = wanted.get(i);
                    if (present.stream().noneMatch(s -> s.id.equals(id))) {
                        throw new InvalidInputException("sourceIds[" + i + "]", id, "no such source is present");
                    }
                }
            }
            for (String deviceId : targets) {
                String os = devices.get(deviceId).map(d -> d.osFamily).orElse(null);
                for (SourceDTO s : present) {
                    if (s.platforms != null && s.platforms.contains(os)) {
                        requests.add(request(JobKind.SCAN, deviceId, s.id, null, run));
                    }
                }
            }
        } else {
            Check.required("sourceId", run.sourceId, 64);
            Check.required("updateId", run.updateId, 255);
            Map<String, UpdateDTO> impacted = impacted(run.sourceId, run.updateId);
            if (impacted.isEmpty()) {
                throw new InvalidInputException("updateId", run.updateId, "no device misses this update");
            }
            for (var e : impacted.entrySet()) {
                if (listed == null || listed.contains(e.getKey())) {
                    requests.add(request(JobKind.INSTALL, e.getKey(), run.sourceId, List.of(e.getValue()), run));
                }
            }
        }
        run.deviceIds = requests.stream().map(r -> r.deviceId).distinct().toList();
        db.transaction(c -> {
            update(c, "INSERT INTO pb_run (id, name, created_at, body) VALUES (?, ?, ?, ?)", run.id, run.name,
                    Timestamp.from(run.createdAt), json(run));
            update(c, "INSERT INTO pb_audit (at, actor, action, entity, entity_id, after_body) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", Timestamp.from(run.createdAt), actor == null ? "unknown" : actor,
                    "create", "run", run.id, json(run));
            return null;
        });
        requests.forEach(jobs::submit);
        LOG.info("Run {} '{}' started by {}: {} job(s) on {} device(s)", run.id, run.name, actor, requests.size(),
                run.deviceIds.size());
        return get(run.id).orElse(run);
    }

    private static JobRequestDTO request(JobKind kind, String deviceId, String sourceId, List<UpdateDTO> updates,
            RunDTO run) {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = kind;
        r.deviceId = deviceId;
        r.sourceId = sourceId;
        r.updates = updates;
        r.deadline = run.deadline;
        r.requestedBy = run.requestedBy;
        r.runId = run.id;
        return r;
    }

    private List<String> devicesWithPolicy(String policyId) {
        Set<String> withPolicy = new HashSet<>();
        for (GroupDTO g : groups.all()) {
            if (g.policyIds != null && g.policyIds.contains(policyId)) {
                withPolicy.add(g.id);
            }
        }
        return storedDevices.all().stream().filter(d -> d.groupId != null && withPolicy.contains(d.groupId))
                .map(d -> d.id).toList();
    }

    private Map<String, UpdateDTO> impacted(String sourceId, String updateId) {
        return db.transaction(c -> {
            Map<String, UpdateDTO> out = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, body FROM pb_device_update "
                    + "WHERE source_id = ? AND update_id = ? AND blocked = FALSE")) {
                s.setString(1, sourceId);
                s.setString(2, updateId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), parse(r.getString(2), UpdateDTO.class));
                    }
                }
            }
            return out;
        });
    }

    private Optional<RunDTO> loadRun(String id) {
        return body("SELECT body FROM pb_run WHERE id = ?", id, RunDTO.class);
    }

    /** The JSON body a query for one id finds, read as a DTO. */
    private <T> Optional<T> body(String sql, String id, Class<T> type) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(parse(r.getString(1), type)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<RunDTO> get(String id) {
        return loadRun(id).map(run -> withState(run, jobs.list()));
    }

    /** A run's jobs: those recorded when they ended, and those only the engine has (under way, or just ended). */
    private record RunJobs(Map<String, JobDTO> recorded, List<JobDTO> unrecorded) {
        List<JobDTO> all() {
            List<JobDTO> all = new ArrayList<>(recorded.values());
            all.addAll(unrecorded);
            return all;
        }
    }

    private RunJobs runJobs(String runId, List<JobDTO> live) {
        Map<String, JobDTO> recorded = new LinkedHashMap<>();
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM pb_job WHERE run_id = ? ORDER BY ended_at")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        JobDTO j = parse(r.getString(1), JobDTO.class);
                        recorded.put(j.id, j);
                    }
                }
            }
            return null;
        });
        List<JobDTO> unrecorded = live.stream().filter(j -> runId.equals(j.runId) && !recorded.containsKey(j.id))
                .toList();
        return new RunJobs(recorded, unrecorded);
    }

    /**
     * A run is RUNNING while any of its jobs is not yet recorded: every job under way is, and so is one that just
     * ended and may still add its run's next step.
     */
    private RunDTO withState(RunDTO run, List<JobDTO> live) {
        RunJobs jobsOfRun = runJobs(run.id, live);
        Map<String, Integer> states = new TreeMap<>();
        jobsOfRun.all().forEach(j -> states.merge(j.state.name(), 1, Integer::sum));
        run.jobStates = states;
        int total = jobsOfRun.recorded().size();
        int ok = (int) jobsOfRun.recorded().values().stream().filter(j -> j.state == JobState.SUCCEEDED).count();
        run.state = !jobsOfRun.unrecorded().isEmpty() ? "RUNNING"
                : ok == total ? "SUCCEEDED" : ok == 0 ? "FAILED" : "PARTIAL";
        return run;
    }

    @Override
    public PageDTO<RunDTO> page(String name, String cursor, int limit) {
        int offset = offset(cursor, limit);
        PageDTO<RunDTO> page = db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM pb_run WHERE CAST(? AS VARCHAR) IS NULL "
                    + "OR LOWER(name) LIKE ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                s.setString(1, name);
                s.setString(2, name == null ? "%" : "%" + name.toLowerCase(Locale.ROOT) + "%");
                return page(s, 3, offset, limit, r -> parse(r.getString(1), RunDTO.class));
            }
        });
        List<JobDTO> live = jobs.list();
        page.items = page.items.stream().map(run -> withState(run, live)).toList();
        return page;
    }

    @Override
    public Optional<JobDTO> recordedJob(String jobId) {
        return body("SELECT body FROM pb_job WHERE id = ?", jobId, JobDTO.class);
    }

    @Override
    public List<JobDTO> jobs(String runId) {
        return runJobs(runId, jobs.list()).all();
    }

    // ---- updates, results, compliance ----

    @Override
    public PageDTO<UpdateSummaryDTO> updates(String cursor, int limit) {
        int offset = offset(cursor, limit);
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT source_id, update_id, os_family, MAX(source_type), "
                    + "MAX(title), MAX(kb), MAX(severity), MAX(classification), COUNT(*) FROM pb_device_update "
                    + "GROUP BY source_id, update_id, os_family ORDER BY source_id, update_id, os_family "
                    + "LIMIT ? OFFSET ?")) {
                return page(s, 1, offset, limit, r -> {
                    UpdateSummaryDTO u = new UpdateSummaryDTO();
                    u.sourceId = r.getString(1);
                    u.updateId = r.getString(2);
                    u.osFamily = r.getString(3);
                    u.sourceType = r.getString(4);
                    u.title = r.getString(5);
                    u.kb = r.getString(6);
                    u.severity = r.getString(7);
                    u.classification = r.getString(8);
                    u.impactedDevices = r.getInt(9);
                    return u;
                });
            }
        });
    }

    @Override
    public List<String> impactedDevices(String sourceId, String updateId) {
        return new ArrayList<>(impacted(sourceId, updateId).keySet());
    }

    @Override
    public PageDTO<UpdateResultRowDTO> results(String runName, String update, String deviceId, String title,
            String cursor, int limit) {
        int offset = offset(cursor, limit);
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT r.job_id, r.run_id, run.name, r.device_id, "
                    + "r.source_id, r.update_id, r.kb, r.title, r.status, r.message, r.version_before, "
                    + "r.version_after, r.ended_at FROM pb_job_result r LEFT JOIN pb_run run ON run.id = r.run_id "
                    + "WHERE (CAST(? AS VARCHAR) IS NULL OR LOWER(run.name) LIKE ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR LOWER(r.update_id) = ? OR LOWER(r.kb) = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR r.device_id = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR LOWER(r.title) LIKE ?) "
                    + "ORDER BY r.ended_at DESC, r.job_id, r.update_id LIMIT ? OFFSET ?")) {
                String u = update == null ? null : update.toLowerCase(Locale.ROOT);
                s.setString(1, runName);
                s.setString(2, runName == null ? "%" : "%" + runName.toLowerCase(Locale.ROOT) + "%");
                s.setString(3, u);
                s.setString(4, u);
                s.setString(5, u);
                s.setString(6, deviceId);
                s.setString(7, deviceId);
                s.setString(8, title);
                s.setString(9, title == null ? "%" : "%" + title.toLowerCase(Locale.ROOT) + "%");
                return page(s, 10, offset, limit, r -> {
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

    @Override
    public ComplianceDTO compliance() {
        Map<String, int[]> missing = new HashMap<>();
        Set<String> scanned = new HashSet<>();
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, COUNT(*), SUM(CASE WHEN severity = "
                    + "'critical' THEN 1 ELSE 0 END) FROM pb_device_update WHERE blocked = FALSE GROUP BY device_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    missing.put(r.getString(1), new int[] { r.getInt(2), r.getInt(3) });
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT device_id FROM pb_device_scan");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    scanned.add(r.getString(1));
                }
            }
            return null;
        });
        Map<String, ComplianceDTO.Counts> byGroup = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        groups.all().forEach(g -> names.put(g.id, g.name));
        ComplianceDTO report = new ComplianceDTO();
        report.overall = new ComplianceDTO.Counts();
        for (DeviceDTO d : storedDevices.all()) {
            if (d.excludedFromReports) {
                continue;
            }
            String key = d.groupId == null ? "" : d.groupId;
            ComplianceDTO.Counts g = byGroup.computeIfAbsent(key, k -> {
                ComplianceDTO.Counts n = new ComplianceDTO.Counts();
                n.groupId = d.groupId;
                n.groupName = d.groupId == null ? "(no group)" : names.get(d.groupId);
                return n;
            });
            for (ComplianceDTO.Counts counts : List.of(g, report.overall)) {
                counts.devices++;
                int[] m = missing.get(d.id);
                if (!scanned.contains(d.id)) {
                    counts.unknown++;
                } else if (m == null) {
                    counts.compliant++;
                } else {
                    counts.missingAny++;
                    if (m[1] > 0) {
                        counts.missingCritical++;
                    }
                }
            }
        }
        report.groups = new ArrayList<>(byGroup.values());
        return report;
    }

    // ---- helpers ----

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private static String json(Object o) {
        try {
            return Documents.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return Documents.JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads one row of a result set. */
    private interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    /**
     * One page of a query whose last two parameters, from {@code limitParameter} on, are LIMIT and OFFSET: one row
     * more than the page is asked for, to know whether another page follows.
     */
    private static <T> PageDTO<T> page(PreparedStatement s, int limitParameter, int offset, int limit, Row<T> row)
            throws SQLException {
        s.setInt(limitParameter, limit + 1);
        s.setInt(limitParameter + 1, offset);
        PageDTO<T> page = new PageDTO<>();
        page.items = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (page.items.size() == limit) {
                    page.next = Paging.atPosition(offset + limit);
                    break;
                }
                page.items.add(row.read(r));
            }
        }
        return page;
    }

    private static int offset(String cursor, int limit) {
        Paging.limit(limit);
        return Paging.position(cursor);
    }
}
