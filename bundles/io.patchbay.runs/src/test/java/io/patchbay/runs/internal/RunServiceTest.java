package io.patchbay.runs.internal;

import static io.patchbay.runs.internal.Samples.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.patchbay.api.Devices;
import io.patchbay.api.Jobs;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.Policies;
import io.patchbay.api.RunRecords;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;

/** "Scan, then install the selection", driven by job ends and by reconcile passes: each install submitted once. */
class RunServiceTest {
    private final EngineFake engine = new EngineFake();
    private final RecordsFake records = new RecordsFake();
    private final RunService runs = new RunService();
    private String runId;

    @BeforeEach
    void wire() throws Exception {
        set("jobs", engine);
        set("records", records);
        set("clock", Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        PolicyDTO patchAll = Samples.policy("patch-all");
        set("policies", java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { Policies.class }, (proxy, method, args) -> method.getName().equals("get")
                        && "p1".equals(args[0]) ? Optional.of(patchAll) : Optional.empty()));
        set("devices", new Devices() {
            @Override
            public List<DeviceDTO> list() {
                return List.of();
            }

            @Override
            public Optional<DeviceDTO> get(String id) {
                return Optional.empty();
            }
        });
        RunRecordDTO record = Samples.policyRun("run-1");
        runId = record.run.id;
        records.create(record.run, "ops");
    }

    private void set(String field, Object value) throws Exception {
        Field f = RunService.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(runs, value);
    }

    /** A scan of the run, handed over by it, that has ended successfully. */
    private JobDTO endedScan() {
        JobDTO scan = Samples.job("scan-" + UUID.randomUUID(), JobKind.SCAN, JobState.SUCCEEDED, runId);
        engine.jobs.put(scan.id, scan);
        records.handedOver(runId, List.of(scan.id), null);
        return scan;
    }

    private List<JobDTO> installs() {
        return engine.jobs.values().stream().filter(j -> j.kind == JobKind.INSTALL).toList();
    }

    @Test
    void anEndedScanIsFollowedByOneInstallHoweverOftenItsEndIsHandled() {
        JobDTO scan = endedScan();
        assertEquals("RUNNING", runs.get(runId).orElseThrow().state, "its install is due");
        runs.jobEnded(scan);
        runs.jobEnded(scan);
        runs.reconcile();
        assertEquals(1, installs().size(), engine.jobs.toString());
        JobDTO install = installs().get(0);
        assertEquals(scan.id, install.follows);
        assertEquals(List.of("openssl", "vim"), install.requested.stream().map(u -> u.id).toList());
        assertEquals("RUNNING", runs.get(runId).orElseThrow().state);

        install.state = JobState.SUCCEEDED;
        install.endedAt = T0.plusSeconds(30);
        runs.jobEnded(install);
        RunDTO done = runs.get(runId).orElseThrow();
        assertEquals("SUCCEEDED", done.state);
        assertEquals(2, runs.jobs(runId).size());
    }

    @Test
    void aScanThatEndedUnheardIsCarriedOnByTheReconcilePass() {
        // the runs bundle was stopped when the scan ended: no jobEnded
        endedScan();
        runs.reconcile();
        assertEquals(1, installs().size());
        runs.reconcile();
        assertEquals(1, installs().size(), "a second pass submits nothing more");
    }

    @Test
    void listenerAndReconcilePassesRacingSubmitOneInstall() throws Exception {
        JobDTO scan = endedScan();
        engine.slowSubmit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    if (n % 2 == 0) {
                        runs.jobEnded(scan);
                    } else {
                        runs.reconcile();
                    }
                }));
            }
            Thread.sleep(200);
            engine.slowSubmit.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, installs().size(), engine.jobs.toString());
    }

    @Test
    void anInstallTheEngineRefusesFailsTheRunAndIsNotTriedAgain() {
        engine.refuse = true;
        JobDTO scan = endedScan();
        runs.jobEnded(scan);
        RunDTO failed = runs.get(runId).orElseThrow();
        assertEquals("FAILED", failed.state);
        assertTrue(failed.reason.contains("could not start") && failed.reason.contains("d1"), failed.reason);
        engine.refuse = false;
        runs.reconcile();
        assertEquals(0, installs().size());
    }

    @Test
    void aRunWhoseJobsTheEngineLostReadsInterrupted() {
        records.handedOver(runId, List.of("lost-in-a-crash"), null);
        RunDTO run = runs.get(runId).orElseThrow();
        assertEquals("INTERRUPTED", run.state);
        assertTrue(run.reason.contains("when the server stopped"), run.reason);
    }

    @Test
    void aSchedulerStartsAPolicyRunOverDevicesUntilADeadline() throws Exception {
        DeviceDTO debian = new DeviceDTO();
        debian.id = "d1";
        debian.osFamily = "linux";
        debian.osName = "debian";
        set("devices", new Devices() {
            @Override
            public List<DeviceDTO> list() {
                return List.of(debian);
            }

            @Override
            public Optional<DeviceDTO> get(String id) {
                return "d1".equals(id) ? Optional.of(debian) : Optional.empty();
            }
        });
        set("sources", new io.patchbay.api.Sources() {
            @Override
            public List<io.patchbay.api.dto.SourceDTO> sources() {
                return List.of(linuxSource("apt"), linuxSource("dnf"));
            }

            @Override
            public Optional<io.patchbay.api.dto.SourceDTO> source(String id) {
                return sources().stream().filter(s -> s.id.equals(id)).findFirst();
            }

            private io.patchbay.api.dto.SourceDTO linuxSource(String type) {
                io.patchbay.api.dto.SourceDTO s = new io.patchbay.api.dto.SourceDTO();
                s.id = type;
                s.type = type;
                s.platforms = List.of("linux");
                s.state = "ACTIVE";
                return s;
            }

            @Override
            public io.patchbay.api.dto.SourceDTO drain(String id, Duration wait) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.patchbay.api.dto.SourceDTO resume(String id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.patchbay.api.dto.SourceDTO replace(String id, java.io.InputStream jar, Duration wait) {
                throw new UnsupportedOperationException();
            }
        });
        Instant windowOpens = T0.plus(Duration.ofDays(1));
        Instant windowCloses = windowOpens.plus(Duration.ofHours(3));
        RunDTO run = runs.startPolicyRun(new PolicyRun("Patch Tuesday window", "p1", List.of("d1"), null,
                windowOpens, windowCloses), null, "scheduler");
        assertEquals(windowOpens, run.createdAt);
        assertEquals(windowCloses, run.deadline);
        assertEquals(180, run.durationMinutes);
        assertEquals(List.of("source 'dnf' (dnf) does not patch debian: skipped on 1 device(s)"), run.skipped);
        List<JobDTO> scans = runs.jobs(run.id);
        assertEquals(1, scans.size(), scans.toString());
        assertEquals("apt", scans.get(0).sourceId);
        assertEquals(JobKind.SCAN, scans.get(0).kind);
        assertEquals(run.id, scans.get(0).runId);
        assertTrue(records.noted.stream().anyMatch(n -> n.jobId.equals(scans.get(0).id)), "noted as handed over");
    }

    /** The job engine: keeps what it is given; may refuse, or hold a submit until released. */
    static class EngineFake implements Jobs {
        final Map<String, JobDTO> jobs = new ConcurrentHashMap<>();
        volatile boolean refuse;
        volatile CountDownLatch slowSubmit;

        @Override
        public JobDTO submit(JobRequestDTO request) {
            if (refuse) {
                throw new LimitExceededException("maxPendingJobsPerDevice", 1, "too many jobs");
            }
            try {
                CountDownLatch slow = slowSubmit;
                if (slow != null) {
                    slow.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JobDTO j = new JobDTO();
            j.id = UUID.randomUUID().toString();
            j.kind = request.kind;
            j.deviceId = request.deviceId;
            j.sourceId = request.sourceId;
            j.requested = request.updates;
            j.runId = request.runId;
            j.follows = request.follows;
            j.state = JobState.QUEUED;
            j.createdAt = T0.plusSeconds(10);
            jobs.put(j.id, j);
            return j;
        }

        @Override
        public Optional<JobDTO> get(String id) {
            return Optional.ofNullable(jobs.get(id));
        }

        @Override
        public List<JobDTO> list() {
            return List.copyOf(jobs.values());
        }

        @Override
        public List<JobDTO> ofRun(String runId) {
            return jobs.values().stream().filter(j -> runId.equals(j.runId)).toList();
        }

        @Override
        public Optional<JobDTO> await(String id, Duration timeout) {
            return get(id);
        }

        @Override
        public boolean cancel(String id, String reason) {
            return false;
        }
    }

    /** Run rows in memory, as the store keeps them. */
    static class RecordsFake implements RunRecords {
        final Map<String, RunDTO> runs = new ConcurrentHashMap<>();
        final List<RunRecordDTO.RunJobDTO> noted = new CopyOnWriteArrayList<>();
        final Map<String, String> failures = new ConcurrentHashMap<>();

        @Override
        public void create(RunDTO run, String actor) {
            runs.put(run.id, run);
        }

        @Override
        public synchronized Optional<RunRecordDTO> get(String id) {
            RunDTO run = runs.get(id);
            if (run == null) {
                return Optional.empty();
            }
            RunRecordDTO r = new RunRecordDTO();
            r.run = run;
            r.failure = failures.get(id);
            r.jobs = new ArrayList<>();
            for (RunRecordDTO.RunJobDTO n : noted) {
                RunRecordDTO.RunJobDTO copy = new RunRecordDTO.RunJobDTO();
                copy.jobId = n.jobId;
                copy.follows = n.follows;
                copy.handled = n.handled;
                r.jobs.add(copy);
            }
            return Optional.of(r);
        }

        @Override
        public Optional<RunDTO> run(String id) {
            return Optional.ofNullable(runs.get(id));
        }

        @Override
        public synchronized Optional<String> follower(String jobId) {
            return noted.stream().filter(n -> jobId.equals(n.follows)).map(n -> n.jobId).findFirst();
        }

        @Override
        public PageDTO<RunRecordDTO> page(String name, String cursor, int limit) {
            PageDTO<RunRecordDTO> page = new PageDTO<>();
            page.items = runs.keySet().stream().map(id -> get(id).orElseThrow()).toList();
            return page;
        }

        @Override
        public List<RunRecordDTO> openAt(Instant now) {
            return runs.values().stream().filter(r -> r.deadline.isAfter(now)).map(r -> get(r.id).orElseThrow())
                    .toList();
        }

        @Override
        public synchronized void handedOver(String runId, List<String> jobIds, String follows) {
            for (String id : jobIds) {
                if (noted.stream().noneMatch(n -> n.jobId.equals(id))) {
                    if (follows != null && noted.stream().anyMatch(n -> follows.equals(n.follows))) {
                        throw new IllegalStateException("a second job follows " + follows);
                    }
                    RunRecordDTO.RunJobDTO n = new RunRecordDTO.RunJobDTO();
                    n.jobId = id;
                    n.follows = follows;
                    noted.add(n);
                }
            }
        }

        @Override
        public synchronized void handled(String runId, String jobId) {
            handedOver(runId, List.of(jobId), null);
            noted.stream().filter(n -> n.jobId.equals(jobId)).forEach(n -> n.handled = true);
        }

        @Override
        public void failed(String runId, String reason) {
            failures.putIfAbsent(runId, reason);
        }
    }
}
