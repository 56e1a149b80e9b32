package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.patchbay.api.BlockList;
import io.patchbay.api.BlockRules;
import io.patchbay.api.Devices;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.JobListener;
import io.patchbay.api.Jobs;
import io.patchbay.api.Paging;
import io.patchbay.api.PolicyRules;
import io.patchbay.api.Runs;
import io.patchbay.api.Sources;
import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.BlockRuleDTO;
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
    /** Run options the jobs of a run act on; anything else is refused rather than stored and ignored. */
    static final Set<String> RUN_OPTIONS = Set.of();

    private final Database db;
    private final Clock clock;
    /** This server process: jobs a run handed to another one's engine are lost when this engine does not know them. */
    private final String owner;

    // optional: jobs that end while the engine stops are still recorded
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Jobs jobs;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sources sources;

    // the highest-ranked device directory, which follows the store's own and every other
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;
    // the block list as it is now: whether a missing update is blocked is decided when it is read
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;
    private final Documents<PolicyDTO> policies;
    private final Documents<GroupDTO> groups;
    private final Documents<DeviceDTO> storedDevices;

    @Activate
    public History(BundleContext context, @Reference Database db, @Reference StoreClock clock) {
        this.db = db;
        this.clock = clock;
        this.owner = context.getProperty(Constants.FRAMEWORK_UUID);
        this.policies = Documents.policies(db, clock);
        this.groups = Documents.groups(db, clock);
        this.storedDevices = Documents.devices(db, clock);
    }

    // ---- recording ----

    @Override
    public void jobEnded(JobDTO job) {
        JobRequestDTO next = job.runId != null && job.kind == JobKind.SCAN && job.state == JobState.SUCCEEDED
                ? installSelected(job) : null;
        String os = devices.get(job.deviceId).map(d -> d.osFamily).orElse(null);
        // the record first, then the next step; the run counts the next step as open in the same transaction, so
        // it never looks done between its scan and its install
        db.transaction(c -> {
            Timestamp ended = Timestamp.from(job.endedAt == null ? clock.instant() : job.endedAt);
            boolean firstRecord = update(c, "DELETE FROM pb_job WHERE id = ?", job.id) == 0;
            if (job.runId != null) {
                // a retry was never handed over by the run, so only a first attempt closes what the run opened
                int closed = firstRecord && job.retryOf == null ? 1 : 0;
                openJobs(c, job.runId, (next == null ? 0 : 1) - closed);
            }
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
        if (next != null) {
            submit(job.runId, List.of(next));
        }
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

    /**
     * The second step of a policy run on a device: install what the policy selects from what the scan found; null
     * when there is nothing to install.
     */
    private JobRequestDTO installSelected(JobDTO scan) {
        Optional<RunDTO> run = loadRun(scan.runId);
        if (run.isEmpty() || run.get().policyId == null) {
            return null;
        }
        Optional<PolicyDTO> policy = policies.get(run.get().policyId);
        if (policy.isEmpty()) {
            LOG.warn("Run {}: its policy {} no longer exists; nothing is installed", scan.runId, run.get().policyId);
            return null;
        }
        Instant now = clock.instant();
        List<UpdateDTO> selected = scan.found.stream().filter(u -> u.blockedBy == null)
                .filter(u -> PolicyRules.selects(policy.get(), u, now)).toList();
        if (selected.isEmpty() || !now.isBefore(run.get().deadline)) {
            return null;
        }
        JobRequestDTO install = new JobRequestDTO();
        install.kind = JobKind.INSTALL;
        install.deviceId = scan.deviceId;
        install.sourceId = scan.sourceId;
        install.updates = selected;
        install.deadline = run.get().deadline;
        install.requestedBy = run.get().requestedBy;
        install.runId = scan.runId;
        return install;
    }

    /** Adds to the jobs a run handed over and has not seen recorded; handing one over makes this process the owner. */
    private void openJobs(Connection c, String runId, int delta) throws SQLException {
        if (delta > 0) {
            update(c, "UPDATE pb_run SET open_jobs = open_jobs + ?, open_owner = ? WHERE id = ?", delta, owner, runId);
        } else if (delta < 0) {
            update(c, "UPDATE pb_run SET open_jobs = GREATEST(open_jobs + ?, 0) WHERE id = ?", delta, runId);
        }
    }

    /**
     * Hands a run's jobs, already counted as open, to the engine. One the engine refuses is not open any more, and
     * the run fails with the engine's reason.
     */
    private void submit(String runId, List<JobRequestDTO> requests) {
        for (int i = 0; i < requests.size(); i++) {
            JobRequestDTO request = requests.get(i);
            try {
                Jobs engine = jobs;
                if (engine == null) {
                    throw new IllegalStateException("the job engine is not available");
                }
                engine.submit(request);
            } catch (RuntimeException e) {
                int notHandedOver = requests.size() - i;
                String failure = request.kind + " on device '" + request.deviceId + "' with source '"
                        + request.sourceId + "' could not start: " + e.getMessage();
                LOG.warn("Run {}: {}", runId, failure);
                db.transaction(c -> {
                    openJobs(c, runId, -notHandedOver);
                    update(c, "UPDATE pb_run SET failure = ? WHERE id = ? AND failure IS NULL",
                            failure.length() > 2000 ? failure.substring(0, 2000) : failure, runId);
                    return null;
                });
                throw e;
            }
        }
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
        if (run.options != null) {
            for (String option : run.options.keySet()) {
                if (!RUN_OPTIONS.contains(option)) {
                    throw new InvalidInputException("options." + option, run.options.get(option),
                            "is not a run option; known options: " + (RUN_OPTIONS.isEmpty() ? "none yet"
                                    : RUN_OPTIONS));
                }
            }
        }
        run.skipped = null;
        List<String> listed = Check.strings("deviceIds", run.deviceIds, 10_000, 64);
        if (listed != null) {
            for (int i = 0; i < listed.size(); i++) {
                if (devices.get(listed.get(i)).isEmpty()) {
                    throw new InvalidInputException("deviceIds[" + i + "]", listed.get(i), "no such device");
                }
            }
        }
        List<JobRequestDTO> requests = new ArrayList<>();
        Instant now = clock.instant();
        run.id = UUID.randomUUID().toString();
        run.createdAt = now;
        run.deadline = now.plus(Duration.ofMinutes(run.durationMinutes));
        run.requestedBy = actor;
        if (byPolicy) {
            PolicyDTO policy = policies.get(run.policyId)
                    .orElseThrow(() -> new InvalidInputException("policyId", run.policyId, "no such policy"));
            if (!policy.enabled) {
                throw new InUseException("policy '" + policy.name + "' (" + policy.id + ") is disabled; enable it "
                        + "to run it");
            }
            List<String> targets = listed != null ? listed : devicesWithPolicy(run.policyId);
            if (targets.isEmpty()) {
                throw new InvalidInputException("deviceIds", null,
                        "no device is in a group with this policy; name the devices to run it on");
            }
            List<String> wanted = Check.strings("sourceIds", run.sourceIds, 50, 64);
            Sources registry = sources;
            List<SourceDTO> present = (registry == null ? List.<SourceDTO>of() : registry.sources()).stream()
                    .filter(s -> "ACTIVE".equals(s.state))
                    .filter(s -> wanted == null || wanted.isEmpty() || wanted.contains(s.id)).toList();
            if (wanted != null) {
                for (int i = 0; i < wanted.size(); i++) {
                    String id = wanted.get(i);
                    if (present.stream().noneMatch(s -> s.id.equals(id))) {
                        throw new InvalidInputException("sourceIds[" + i + "]", id, "no such source is present");
                    }
                }
            }
            Map<String, Integer> skipped = new TreeMap<>();
            for (String deviceId : targets) {
                Optional<DeviceDTO> device = devices.get(deviceId);
                for (SourceDTO s : present) {
                    Optional<String> unfit = device.isEmpty() ? Optional.of("source '" + s.id + "' has no device "
                            + deviceId + " to scan") : SourceFit.unfit(s, device.get());
                    if (unfit.isEmpty()) {
                        requests.add(request(JobKind.SCAN, deviceId, s.id, null, run));
                    } else {
                        skipped.merge(unfit.get(), 1, Integer::sum);
                    }
                }
            }
            run.skipped = skipped.entrySet().stream().map(e -> e.getKey() + ": skipped on " + e.getValue()
                    + " device(s)").toList();
            if (requests.isEmpty()) {
                throw new InvalidInputException(wanted == null || wanted.isEmpty() ? "policyId" : "sourceIds",
                        wanted == null || wanted.isEmpty() ? run.policyId : wanted,
                        "no source present can patch these devices: " + String.join("; ", run.skipped));
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
            update(c, "INSERT INTO pb_run (id, name, created_at, body, open_jobs, open_owner) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", run.id, run.name, Timestamp.from(run.createdAt), json(run), requests.size(), owner);
            update(c, "INSERT INTO pb_audit (at, actor, action, entity, entity_id, after_body) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", Timestamp.from(run.createdAt), actor == null ? "unknown" : actor,
                    "create", "run", run.id, json(run));
            return null;
        });
        submit(run.id, requests);
        LOG.info("Run {} '{}' started by {}: {} job(s) on {} device(s); skipped: {}", run.id, run.name, actor,
                requests.size(), run.deviceIds.size(), run.skipped == null ? "none" : run.skipped);
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

    /** The devices missing an update that the block list does not forbid them now, with the update as found. */
    private Map<String, UpdateDTO> impacted(String sourceId, String updateId) {
        Map<String, UpdateDTO> out = new TreeMap<>();
        for (Missing m : missing(sourceId, updateId)) {
            if (!m.blocked()) {
                out.put(m.deviceId(), m.update());
            }
        }
        return out;
    }

    /** An update a device's latest scan found missing, and whether the block list forbids it now. */
    private record Missing(String deviceId, String sourceId, String updateId, String osFamily, String severity,
            UpdateDTO update, boolean blocked) {
    }

    /**
     * What the latest scans found missing, of one update or of all ({@code null}s), ordered by source, update, OS
     * family and device; each judged against the block list as it is now.
     */
    private List<Missing> missing(String sourceId, String updateId) {
        List<BlockRuleDTO> rules = blockList.rules();
        // devices that miss the same update mostly share its body: parse and judge each body once
        Map<String, UpdateDTO> parsed = new HashMap<>();
        Map<String, Boolean> blocked = new HashMap<>();
        return db.transaction(c -> {
            List<Missing> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, source_id, update_id, os_family, "
                    + "severity, body FROM pb_device_update WHERE (CAST(? AS VARCHAR) IS NULL OR source_id = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR update_id = ?) "
                    + "ORDER BY source_id, update_id, os_family, device_id")) {
                s.setString(1, sourceId);
                s.setString(2, sourceId);
                s.setString(3, updateId);
                s.setString(4, updateId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String body = r.getString(6);
                        UpdateDTO u = parsed.computeIfAbsent(body, b -> parse(b, UpdateDTO.class));
                        boolean no = blocked.computeIfAbsent(body,
                                b -> rules.stream().anyMatch(rule -> BlockRules.matches(rule, u)));
                        out.add(new Missing(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getString(5), u, no));
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
        return loadRun(id).map(run -> withState(run, liveJobs()));
    }

    /** The engine's jobs: under way, waiting, or ended a short while ago; none while there is no engine. */
    private List<JobDTO> liveJobs() {
        Jobs engine = jobs;
        return engine == null ? List.of() : engine.list();
    }

    /**
     * A run's jobs: those recorded when they ended, and those only the engine has (under way, or just ended); and of
     * the jobs it handed over, how many are not recorded yet, by which server process, and why a step could not start.
     */
    private record RunJobs(Map<String, JobDTO> recorded, List<JobDTO> unrecorded, int open, String openOwner,
            String failure) {
        List<JobDTO> all() {
            List<JobDTO> all = new ArrayList<>(recorded.values());
            all.addAll(unrecorded);
            return all;
        }
    }

    private RunJobs runJobs(String runId, List<JobDTO> live) {
        Map<String, JobDTO> recorded = new LinkedHashMap<>();
        Object[] progress = db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM pb_job WHERE run_id = ? ORDER BY ended_at")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        JobDTO j = parse(r.getString(1), JobDTO.class);
                        recorded.put(j.id, j);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT open_jobs, open_owner, failure FROM pb_run WHERE id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Object[] { r.getInt(1), r.getString(2), r.getString(3) }
                            : new Object[] { 0, null, null };
                }
            }
        });
        List<JobDTO> unrecorded = live.stream().filter(j -> runId.equals(j.runId) && !recorded.containsKey(j.id))
                .toList();
        return new RunJobs(recorded, unrecorded, (Integer) progress[0], (String) progress[1], (String) progress[2]);
    }

    /**
     * A run is RUNNING while any of its jobs is not yet recorded: every job under way is, and so is one that just
     * ended and may still add its run's next step. Jobs it handed to the engine of an earlier server process and
     * that were never recorded were lost in a stop: the run is INTERRUPTED, never SUCCEEDED.
     */
    private RunDTO withState(RunDTO run, List<JobDTO> live) {
        RunJobs jobsOfRun = runJobs(run.id, live);
        Map<String, Integer> states = new TreeMap<>();
        jobsOfRun.all().forEach(j -> states.merge(j.state.name(), 1, Integer::sum));
        run.jobStates = states;
        int total = jobsOfRun.recorded().size();
        int ok = (int) jobsOfRun.recorded().values().stream().filter(j -> j.state == JobState.SUCCEEDED).count();
        run.reason = null;
        if (!jobsOfRun.unrecorded().isEmpty() || jobsOfRun.open() > 0 && Objects.equals(owner, jobsOfRun.openOwner())) {
            run.state = "RUNNING";
        } else if (jobsOfRun.open() > 0) {
            run.state = "INTERRUPTED";
            run.reason = jobsOfRun.open() + " job(s) of this run were queued or running when the server stopped; "
                    + "what they did is not known";
        } else if (jobsOfRun.failure() != null) {
            run.state = "FAILED";
            run.reason = jobsOfRun.failure();
        } else if (total == 0) {
            run.state = "FAILED";
            run.reason = "the run has no jobs: no source present serves its devices";
        } else {
            run.state = ok == total ? "SUCCEEDED" : ok == 0 ? "FAILED" : "PARTIAL";
        }
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
        List<JobDTO> live = liveJobs();
        page.items = page.items.stream().map(run -> withState(run, live)).toList();
        return page;
    }

    @Override
    public Optional<JobDTO> recordedJob(String jobId) {
        return body("SELECT body FROM pb_job WHERE id = ?", jobId, JobDTO.class);
    }

    @Override
    public List<JobDTO> jobs(String runId) {
        return runJobs(runId, liveJobs()).all();
    }

    // ---- updates, results, compliance ----

    /** Every update known from the latest scans; {@code impactedDevices} counts the devices it is not blocked on. */
    @Override
    public PageDTO<UpdateSummaryDTO> updates(String cursor, int limit) {
        int offset = offset(cursor, limit);
        Map<List<String>, UpdateSummaryDTO> byKey = new LinkedHashMap<>();
        for (Missing m : missing(null, null)) {
            UpdateSummaryDTO u = byKey.computeIfAbsent(List.of(m.sourceId(), m.updateId(), String.valueOf(
                    m.osFamily())), k -> {
                        UpdateSummaryDTO n = new UpdateSummaryDTO();
                        n.sourceId = m.sourceId();
                        n.updateId = m.updateId();
                        n.osFamily = m.osFamily();
                        return n;
                    });
            UpdateDTO found = m.update();
            u.sourceType = u.sourceType != null ? u.sourceType : found.sourceType;
            u.title = u.title != null ? u.title : found.title;
            u.kb = u.kb != null ? u.kb : found.kb;
            u.severity = u.severity != null ? u.severity : m.severity();
            u.classification = u.classification != null ? u.classification : found.classification;
            if (!m.blocked()) {
                u.impactedDevices++;
            }
        }
        List<UpdateSummaryDTO> all = new ArrayList<>(byKey.values());
        PageDTO<UpdateSummaryDTO> page = new PageDTO<>();
        page.items = offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, Math.min(all.size(),
                offset + limit)));
        if (offset + limit < all.size()) {
            page.next = Paging.atPosition(offset + limit);
        }
        return page;
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
        for (Missing m : missing(null, null)) {
            if (!m.blocked()) {
                int[] counts = missing.computeIfAbsent(m.deviceId(), k -> new int[2]);
                counts[0]++;
                counts[1] += "critical".equals(m.severity()) ? 1 : 0;
            }
        }
        Set<String> scanned = new HashSet<>();
        db.transaction(c -> {
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

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
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
