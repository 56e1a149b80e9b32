package io.patchbay.runs.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.FieldChecks;
import io.patchbay.api.Devices;
import io.patchbay.api.Groups;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.JobListener;
import io.patchbay.api.Jobs;
import io.patchbay.api.Policies;
import io.patchbay.api.RunRecords;
import io.patchbay.api.Runs;
import io.patchbay.api.Sources;
import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;
import io.patchbay.api.dto.SourceDTO;
import io.patchbay.api.dto.UpdateDTO;

/**
 * Runs, started and read: a run of a policy scans each device and, as each scan ends, installs what the policy
 * selects from what it found (the install follows the scan); a run of one update installs it where it is missing.
 * The next step of a run is driven when a job ends and again by a reconcile pass, at start and on an interval, for
 * steps a crash or a stop of this bundle left undone; a step is submitted at most once (it follows its scan).
 */
@Component(service = { Runs.class, JobListener.class }, configurationPid = RunService.PID)
@Designate(ocd = RunService.Config.class)
public class RunService implements Runs, JobListener {
    static final String PID = "io.patchbay.runs";
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
    /** Run options the jobs of a run act on; anything else is refused rather than stored and ignored. */
    static final Set<String> RUN_OPTIONS = Set.of();

    @ObjectClassDefinition(name = "Patchbay runs")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between passes that carry on runs whose next step was left undone")
        int reconcileSeconds() default 60;
    }

    @Reference
    private RunRecords records;
    // dynamic: a replaced engine, directory or store service is taken without losing the runs under way
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Jobs jobs;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Policies policies;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Groups groups;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpdateIndex updateIndex;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sources sources;
    // dynamic, so that a test's higher-ranked clock is taken without restarting this
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    /** Scans whose next step a thread is deciding now: the listener and the reconcile pass never both submit it. */
    private final Set<String> carryingOn = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService reconciler;

    // an activate method, not the constructor: the first pass needs the dynamic references set
    @Activate
    void activate(Config config) {
        reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "patchbay-runs-reconcile");
            t.setDaemon(true);
            return t;
        });
        reconciler.scheduleWithFixedDelay(this::reconcile, 0, Math.max(1, config.reconcileSeconds()),
                TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        reconciler.shutdownNow();
        reconciler.awaitTermination(10, TimeUnit.SECONDS);
    }

    // ---- as each job ends, and on each reconcile pass ----

    @Override
    public void jobEnded(JobDTO job) {
        if (job.runId == null) {
            return;
        }
        records.run(job.runId).ifPresent(run -> carryOn(run, job));
    }

    /** Every open run: the ended jobs whose end it has not handled (it stopped, or the server did, meanwhile). */
    void reconcile() {
        List<RunRecordDTO> open;
        try {
            open = records.openAt(clock.instant());
        } catch (RuntimeException e) {
            // the store is going away; the next pass tries again
            LOG.warn("Runs could not be reconciled: {}", e.toString());
            return;
        }
        for (RunRecordDTO record : open) {
            try {
                Set<String> handled = new HashSet<>();
                record.jobs.stream().filter(n -> n.handled).forEach(n -> handled.add(n.jobId));
                for (JobDTO job : jobsOf(record)) {
                    if (job.state.isFinal() && !handled.contains(job.id)) {
                        carryOn(record.run, job);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Run {} could not be reconciled: {}", record.run.id, e.toString());
            }
        }
    }

    /** Submits the next step of an ended job of the run, when one is due and not submitted yet, and notes it handled. */
    private void carryOn(RunDTO run, JobDTO job) {
        if (ScanThenInstall.mayCarryOn(run, job)) {
            if (!carryingOn.add(job.id)) {
                return; // another thread decides it now, and notes it handled
            }
            try {
                installSelected(run, job);
            } finally {
                carryingOn.remove(job.id);
            }
        }
        records.handled(run.id, job.id);
    }

    private void installSelected(RunDTO run, JobDTO scan) {
        // asked now that this thread alone decides: another may have submitted the install meanwhile
        if (records.follower(scan.id).isPresent()) {
            return;
        }
        Optional<PolicyDTO> policy = policies.get(run.policyId);
        if (policy.isEmpty()) {
            LOG.warn("Run {}: its policy {} no longer exists; nothing is installed", run.id, run.policyId);
            return;
        }
        Optional<JobRequestDTO> install = ScanThenInstall.install(run, policy.get(), scan, clock.instant());
        if (install.isPresent()) {
            try {
                submit(run.id, List.of(install.get()), scan.id);
            } catch (RuntimeException e) {
                // refused by the engine: the run has failed with the reason, and the scan's end is handled
            }
        }
    }

    /**
     * Hands a run's jobs to the engine and notes them. One the engine refuses, and those after it, are not handed
     * over: the run fails with the engine's reason, and the refusal is thrown on.
     */
    private void submit(String runId, List<JobRequestDTO> requests, String follows) {
        List<String> handedOver = new ArrayList<>();
        try {
            for (JobRequestDTO request : requests) {
                try {
                    handedOver.add(jobs.submit(request).id);
                } catch (RuntimeException e) {
                    String failure = request.kind + " on device '" + request.deviceId + "' with source '"
                            + request.sourceId + "' could not start: " + e.getMessage();
                    LOG.warn("Run {}: {}", runId, failure);
                    records.failed(runId, failure);
                    throw e;
                }
            }
        } finally {
            if (!handedOver.isEmpty()) {
                records.handedOver(runId, handedOver, follows);
            }
        }
    }

    // ---- runs ----

    @Override
    public RunDTO start(RunDTO run, String actor) {
        if (run == null) {
            throw new InvalidInputException("body", null, "a run is required");
        }
        String name = FieldChecks.required("name", run.name, 255);
        Map<String, String> options = FieldChecks.options("options", run.options, 100, 64, 2000);
        FieldChecks.range("durationMinutes", run.durationMinutes, 5, 1440);
        boolean byPolicy = run.policyId != null;
        boolean byUpdate = run.sourceId != null || run.updateId != null;
        if (byPolicy == byUpdate) {
            throw new InvalidInputException("policyId", run.policyId,
                    "a run needs either a policyId, or a sourceId and updateId");
        }
        if (options != null) {
            for (String option : options.keySet()) {
                if (!RUN_OPTIONS.contains(option)) {
                    throw new InvalidInputException("options." + option, options.get(option),
                            "is not a run option; known options: " + (RUN_OPTIONS.isEmpty() ? "none yet"
                                    : RUN_OPTIONS));
                }
            }
        }
        List<String> listed = FieldChecks.strings("deviceIds", run.deviceIds, 10_000, 64);
        // a device or source listed twice would be scanned and patched twice
        FieldChecks.noDuplicates("deviceIds", listed);
        List<String> wanted = FieldChecks.strings("sourceIds", run.sourceIds, 50, 64);
        FieldChecks.noDuplicates("sourceIds", wanted);
        Instant now = clock.instant();
        Instant deadline = now.plus(Duration.ofMinutes(run.durationMinutes));
        if (byPolicy) {
            return startPolicyRun(new PolicyRun(name, run.policyId, listed, wanted, now, deadline), options, actor);
        }
        String sourceId = FieldChecks.required("sourceId", run.sourceId, 64);
        String updateId = FieldChecks.required("updateId", run.updateId, 255);
        checkDevices(listed);
        RunDTO started = newRun(name, now, deadline, options, actor);
        started.sourceId = sourceId;
        started.updateId = updateId;
        Map<String, UpdateDTO> missing = updateIndex.missingOn(sourceId, updateId);
        if (missing.isEmpty()) {
            throw new InvalidInputException("updateId", updateId, "no device misses this update");
        }
        List<JobRequestDTO> requests = new ArrayList<>();
        for (var e : new TreeMap<>(missing).entrySet()) {
            if (listed == null || listed.contains(e.getKey())) {
                requests.add(request(JobKind.INSTALL, e.getKey(), sourceId, List.of(e.getValue()), started));
            }
        }
        return begin(started, requests, actor);
    }

    /**
     * Starts a run of a policy over devices with sources, until a deadline: what a schedule does when a policy's
     * window opens, and what {@link #start} does for a run asked for by hand.
     *
     * @throws InvalidInputException naming the field and value that are wrong; nothing is started
     * @throws InUseException when the policy is disabled
     */
    RunDTO startPolicyRun(PolicyRun plan, Map<String, String> options, String actor) {
        checkDevices(plan.deviceIds());
        PolicyDTO policy = policies.get(plan.policyId())
                .orElseThrow(() -> new InvalidInputException("policyId", plan.policyId(), "no such policy"));
        if (!policy.enabled) {
            throw new InUseException("policy '" + policy.name + "' (" + policy.id + ") is disabled; enable it "
                    + "to run it");
        }
        List<String> targets = plan.deviceIds() != null ? plan.deviceIds() : devicesWithPolicy(policy.id);
        if (targets.isEmpty()) {
            throw new InvalidInputException("deviceIds", null,
                    "no device is in a group with this policy; name the devices to run it on");
        }
        List<String> wanted = plan.sourceIds();
        boolean allSources = wanted == null || wanted.isEmpty();
        Sources registry = sources;
        List<SourceDTO> present = (registry == null ? List.<SourceDTO>of() : registry.sources()).stream()
                .filter(s -> "ACTIVE".equals(s.state)).filter(s -> allSources || wanted.contains(s.id)).toList();
        if (wanted != null) {
            for (int i = 0; i < wanted.size(); i++) {
                String id = wanted.get(i);
                if (present.stream().noneMatch(s -> s.id.equals(id))) {
                    throw new InvalidInputException("sourceIds[" + i + "]", id, "no such source is present");
                }
            }
        }
        RunDTO run = newRun(plan.name(), plan.at(), plan.deadline(), options, actor);
        run.policyId = policy.id;
        run.sourceIds = wanted;
        List<JobRequestDTO> requests = new ArrayList<>();
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
            throw new InvalidInputException(allSources ? "policyId" : "sourceIds", allSources ? policy.id : wanted,
                    "no source present can patch these devices: " + String.join("; ", run.skipped));
        }
        return begin(run, requests, actor);
    }

    private void checkDevices(List<String> listed) {
        if (listed != null) {
            for (int i = 0; i < listed.size(); i++) {
                if (devices.get(listed.get(i)).isEmpty()) {
                    throw new InvalidInputException("deviceIds[" + i + "]", listed.get(i), "no such device");
                }
            }
        }
    }

    private static RunDTO newRun(String name, Instant at, Instant deadline, Map<String, String> options,
            String actor) {
        RunDTO run = new RunDTO();
        run.id = UUID.randomUUID().toString();
        run.name = name;
        run.options = options;
        run.createdAt = at;
        run.deadline = deadline;
        run.durationMinutes = (int) Math.max(1, Duration.between(at, deadline).toMinutes());
        run.requestedBy = actor;
        return run;
    }

    /** Stores the run, then hands its first jobs over. */
    private RunDTO begin(RunDTO run, List<JobRequestDTO> requests, String actor) {
        run.deviceIds = requests.stream().map(r -> r.deviceId).distinct().toList();
        records.create(run, actor);
        submit(run.id, requests, null);
        LOG.info("Run {} '{}' started by {}: {} job(s) on {} device(s); skipped: {}", run.id, run.name, actor,
                requests.size(), run.deviceIds.size(), run.skipped == null || run.skipped.isEmpty() ? "none"
                        : run.skipped);
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
        String cursor = null;
        do {
            PageDTO<GroupDTO> page = groups.page(cursor, 500);
            for (GroupDTO g : page.items) {
                if (g.policyIds != null && g.policyIds.contains(policyId)) {
                    withPolicy.add(g.id);
                }
            }
            cursor = page.next;
        } while (cursor != null);
        return devices.list().stream().filter(d -> d.groupId != null && withPolicy.contains(d.groupId))
                .map(d -> d.id).toList();
    }

    /** The run's jobs as the engine has them: every job of the run, and any it handed over that the engine finds. */
    private List<JobDTO> jobsOf(RunRecordDTO record) {
        Jobs engine = jobs;
        Map<String, JobDTO> of = new LinkedHashMap<>();
        engine.ofRun(record.run.id).forEach(j -> of.put(j.id, j));
        for (RunRecordDTO.RunJobDTO noted : record.jobs) {
            if (!of.containsKey(noted.jobId)) {
                engine.get(noted.jobId).ifPresent(j -> of.put(j.id, j));
            }
        }
        return new ArrayList<>(of.values());
    }

    @Override
    public Optional<RunDTO> get(String id) {
        return records.get(id).map(record -> RunState.of(record, jobsOf(record), clock.instant()));
    }

    @Override
    public PageDTO<RunDTO> page(String name, String cursor, int limit) {
        PageDTO<RunRecordDTO> stored = records.page(name, cursor, limit);
        Instant now = clock.instant();
        PageDTO<RunDTO> page = new PageDTO<>();
        page.items = stored.items.stream().map(record -> RunState.of(record, jobsOf(record), now)).toList();
        page.next = stored.next;
        return page;
    }

    @Override
    public List<JobDTO> jobs(String runId) {
        return records.get(runId).map(this::jobsOf).orElse(List.of());
    }
}
