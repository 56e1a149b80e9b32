package io.patchbay.store.internal;

import static io.patchbay.store.internal.Rows.json;
import static io.patchbay.store.internal.Rows.parse;
import static io.patchbay.store.internal.Rows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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


import io.patchbay.api.BlockList;
import io.patchbay.api.Devices;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.JobListener;
import io.patchbay.api.Jobs;
import io.patchbay.api.PolicyRules;
import io.patchbay.api.Runs;
import io.patchbay.api.Sources;
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
import io.patchbay.api.dto.UpdateStatus;

/**
 * Runs, started and read: a run of a policy scans each device and, as each scan ends, installs what the policy
 * selects from what it found; a run of one update installs it where it is missing. Every job that ends is recorded
 * ({@link JobRecords}) in the same transaction that hands on its run's next step. This run orchestration is what
 * leaves the store for a bundle of its own; the records and {@link MissingUpdates} stay.
 */
@Component(service = { JobListener.class, Runs.class })
public class StoreRuns implements JobListener, Runs {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRuns.class);
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
    private final JobRecords records;
    private final MissingUpdates missing;

    @Activate
    public StoreRuns(BundleContext context, @Reference Database db, @Reference StoreClock clock) {
        this.db = db;
        this.clock = clock;
        this.records = new JobRecords(db);
        this.missing = new MissingUpdates(db, () -> blockList);
        this.owner = context.getProperty(Constants.FRAMEWORK_UUID);
        this.policies = Documents.policies(db, clock);
        this.groups = Documents.groups(db, clock);
        this.storedDevices = Documents.devices(db, clock);
    }

    // ---- as each job ends ----

    @Override
    public void jobEnded(JobDTO job) {
        JobRequestDTO next = job.runId != null && job.kind == JobKind.SCAN && job.state == JobState.SUCCEEDED
                ? installSelected(job) : null;
        // the queue recorded the job and its results when it ended; the run counts its next step as open before it
        // closes this one, so it never looks done between its scan and its install
        if (job.runId != null) {
            db.transaction(c -> {
                // a retry was never handed over by the run, so only a first attempt closes what the run opened
                int closed = job.retryOf == null ? 1 : 0;
                openJobs(c, job.runId, (next == null ? 0 : 1) - closed);
                return null;
            });
        }
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
        // a device or source listed twice would be scanned and patched twice
        Check.noDuplicates("deviceIds", listed);
        Check.noDuplicates("sourceIds", Check.strings("sourceIds", run.sourceIds, 50, 64));
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
            Map<String, UpdateDTO> impacted = missing.impacted(run.sourceId, run.updateId);
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

    private Optional<RunDTO> loadRun(String id) {
        return Rows.body(db, "SELECT body FROM pb_run WHERE id = ?", id, RunDTO.class);
    }

    @Override
    public Optional<RunDTO> get(String id) {
        return loadRun(id).map(run -> withState(run, liveJobs()));
    }

    /** Nothing any more: every job, under way or ended, is a row of the queue that {@link #runJobs} reads. */
    private List<JobDTO> liveJobs() {
        return List.of();
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
        List<JobDTO> active = new ArrayList<>();
        Object[] progress = db.transaction(c -> {
            recorded.putAll(JobRecords.ofRun(c, runId));
            active.addAll(JobRecords.activeOfRun(c, runId));
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT open_jobs, open_owner, failure FROM pb_run WHERE id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Object[] { r.getInt(1), r.getString(2), r.getString(3) }
                            : new Object[] { 0, null, null };
                }
            }
        });
        // every job is a row of the queue now: those not ended are the run's work under way
        List<JobDTO> unrecorded = active;
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
        int offset = Rows.offset(cursor, limit);
        PageDTO<RunDTO> page = db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM pb_run WHERE CAST(? AS VARCHAR) IS NULL "
                    + "OR LOWER(name) " + Rows.LIKE + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                s.setString(1, name);
                s.setString(2, Rows.containing(name));
                return Rows.page(s, 3, offset, limit, r -> parse(r.getString(1), RunDTO.class));
            }
        });
        List<JobDTO> live = liveJobs();
        page.items = page.items.stream().map(run -> withState(run, live)).toList();
        return page;
    }

    @Override
    public Optional<JobDTO> recordedJob(String jobId) {
        return records.get(jobId);
    }

    @Override
    public List<JobDTO> jobs(String runId) {
        return runJobs(runId, liveJobs()).all();
    }
}
