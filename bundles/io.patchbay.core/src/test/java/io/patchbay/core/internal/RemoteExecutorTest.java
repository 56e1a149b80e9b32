package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.patchbay.api.BlockRules;
import io.patchbay.api.ClaimLostException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.TargetSettingsDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.dto.WindowsUpdateDTO;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.TargetSettings;

/** The remote executor (the agent's claim, progress and report) through the job engine, on the store's queue. */
class RemoteExecutorTest {
    private final Map<String, DeviceDTO> devices = new ConcurrentHashMap<>();
    private final List<BlockRuleDTO> rules = new CopyOnWriteArrayList<>();
    private final List<JobDTO> ended = new CopyOnWriteArrayList<>();
    private TestQueue store;
    private volatile TargetSettings targetSettings = TargetSettings.defaults();
    private JobRunner runner;

    @BeforeEach
    void setUp() {
        store = new TestQueue();
        DeviceDTO d = new DeviceDTO();
        d.id = "laptop-7";
        d.osFamily = "linux";
        devices.put(d.id, d);
        runner = new JobRunner(Clock.systemUTC(), new JobRunner.Settings(2, Duration.ofMinutes(5),
                Duration.ofMillis(300), 3), new SourceRegistry(), new JobRunner.Environment() {
                    @Override
                    public Optional<DeviceDTO> device(String id) {
                        return Optional.ofNullable(devices.get(id));
                    }

                    @Override
                    public Optional<Host> host(DeviceDTO device) {
                        return Optional.empty(); // reached only through its agent
                    }

                    @Override
                    public Optional<BlockRuleDTO> blocked(UpdateDTO update) {
                        return rules.stream().filter(r -> BlockRules.matches(r, update)).findFirst();
                    }

                    @Override
                    public TargetSettings settings(DeviceDTO device, String runId) {
                        if (targetSettings == null) {
                            throw new IllegalStateException("the store of groups is not available");
                        }
                        return targetSettings;
                    }

                    @Override
                    public void jobEnded(JobDTO job) {
                        ended.add(job);
                    }
                }, () -> store.queue);
    }

    @AfterEach
    void tearDown() {
        runner.close();
        store.close();
    }

    private static UpdateDTO update(String id) {
        UpdateDTO u = new UpdateDTO();
        u.id = id;
        u.name = id;
        u.version = "2.0";
        return u;
    }

    private JobDTO install(String... ids) {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.INSTALL;
        r.deviceId = "laptop-7";
        r.sourceId = "apt";
        r.updates = new ArrayList<>();
        for (String id : ids) {
            r.updates.add(update(id));
        }
        return runner.submit(r);
    }

    private static UpdateResultDTO result(String id, UpdateStatus status) {
        UpdateResultDTO r = new UpdateResultDTO();
        r.updateId = id;
        r.status = status;
        return r;
    }

    private static JobReportDTO report(String claimId, JobState state, UpdateResultDTO... results) {
        JobReportDTO r = new JobReportDTO();
        r.claimId = claimId;
        r.state = state;
        r.results = List.of(results);
        return r;
    }

    private static BlockRuleDTO rule(String updateId) {
        BlockRuleDTO r = new BlockRuleDTO();
        r.id = "rule-" + updateId;
        r.updateId = updateId;
        return r;
    }

    @Test
    void anAgentClaimsItsDevicesJobAndItsReportIsRecordedOnce() throws Exception {
        rules.add(rule("telnet"));
        JobDTO job = install("curl", "telnet");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        assertEquals(job.id, claim.job.id);
        assertEquals(JobState.RUNNING, claim.job.state);
        assertEquals(List.of("curl"), claim.job.requested.stream().map(u -> u.id).toList(),
                "the agent is never handed a blocked update");
        assertEquals(Optional.empty(), runner.remote().claim("laptop-7"), "one running job per device");

        JobProgressDTO progress = new JobProgressDTO();
        progress.claimId = claim.claimId;
        progress.percent = 50;
        progress.message = "installing curl";
        progress.log = List.of("unpacking curl 2.0");
        JobClaimDTO renewed = runner.remote().progress("laptop-7", job.id, progress);
        assertFalse(renewed.stopRequested);
        assertEquals(50, renewed.job.progress);

        JobReportDTO done = report(claim.claimId, JobState.SUCCEEDED, result("curl", UpdateStatus.SUCCEEDED));
        JobDTO recorded = runner.remote().report("laptop-7", job.id, done);
        assertEquals(JobState.SUCCEEDED, recorded.state);
        assertEquals(List.of(UpdateStatus.BLOCKED, UpdateStatus.SUCCEEDED),
                recorded.results.stream().map(r -> r.status).toList());
        assertTrue(recorded.log.stream().anyMatch(l -> l.message.equals("unpacking curl 2.0")));

        JobDTO again = runner.remote().report("laptop-7", job.id, done);
        assertEquals(recorded.endedAt, again.endedAt, "a repeated report changes nothing");
        long deadline = System.currentTimeMillis() + 5_000;
        while (ended.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(List.of(job.id), ended.stream().map(j -> j.id).toList(), "listeners hear of it once");
    }

    @Test
    void aJobOfADeviceWithoutAHostHereWaitsForItsAgentSayingSo() throws Exception {
        JobDTO job = install("curl");
        long deadline = System.currentTimeMillis() + 10_000;
        JobDTO now = job;
        while (now.reason == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            now = runner.get(job.id).orElseThrow();
        }
        assertEquals(JobState.WAITING, now.state);
        assertTrue(now.reason.contains("agent"), now.reason);
    }

    @Test
    void aCancelReachesTheAgentThroughProgress() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        assertTrue(runner.cancel(job.id, "maintenance window closed early"));
        JobProgressDTO progress = new JobProgressDTO();
        progress.claimId = claim.claimId;
        JobClaimDTO answer = runner.remote().progress("laptop-7", job.id, progress);
        assertTrue(answer.stopRequested);
        assertEquals("maintenance window closed early", answer.stopReason);
        JobDTO recorded = runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.CANCELLED));
        assertEquals(JobState.CANCELLED, recorded.state);
        assertEquals(UpdateStatus.INTERRUPTED, recorded.results.get(0).status);
    }

    @Test
    void reportsAreCheckedBeforeAnythingIsRecorded() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        InvalidInputException unrequested = assertThrows(InvalidInputException.class, () -> runner.remote()
                .report("laptop-7", job.id, report(claim.claimId, JobState.SUCCEEDED,
                        result("openssh", UpdateStatus.SUCCEEDED))));
        assertEquals("results[0].updateId", unrequested.field());
        InvalidInputException running = assertThrows(InvalidInputException.class,
                () -> runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.RUNNING)));
        assertEquals("state", running.field());
        JobReportDTO longReason = report(claim.claimId, JobState.FAILED);
        longReason.reason = "x".repeat(2_001);
        assertEquals("reason", assertThrows(InvalidInputException.class,
                () -> runner.remote().report("laptop-7", job.id, longReason)).field());
        assertThrows(NotFoundException.class, () -> runner.remote().claim("no-such-device"));
        assertThrows(NotFoundException.class, () -> runner.remote().report("laptop-7", "no-such-job",
                report(claim.claimId, JobState.FAILED)));
        assertEquals(JobState.RUNNING, runner.get(job.id).orElseThrow().state, "nothing was recorded");
    }

    @Test
    void anInstallOfAnUpdateBlockedMeanwhileFailsTheJob() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        rules.add(rule("curl"));
        JobDTO recorded = runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.SUCCEEDED,
                result("curl", UpdateStatus.SUCCEEDED)));
        assertEquals(JobState.FAILED, recorded.state);
        assertTrue(recorded.reason.contains("block rule rule-curl"), recorded.reason);
    }

    @Test
    void aReportUnderALostClaimIsRefused() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        JobReportDTO stale = report("another-claim", JobState.SUCCEEDED, result("curl", UpdateStatus.SUCCEEDED));
        assertThrows(ClaimLostException.class, () -> runner.remote().report("laptop-7", job.id, stale));
        JobProgressDTO progress = new JobProgressDTO();
        progress.claimId = "another-claim";
        assertThrows(ClaimLostException.class, () -> runner.remote().progress("laptop-7", job.id, progress));
        assertEquals(claim.claimId, runner.remote().progress("laptop-7", job.id, withClaim(claim)).claimId);
    }

    private static JobProgressDTO withClaim(JobClaimDTO claim) {
        JobProgressDTO p = new JobProgressDTO();
        p.claimId = claim.claimId;
        return p;
    }

    @Test
    void aJobListingAnUpdateTwiceIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> install("hello", "hello"));
        assertEquals("updates[1].id", e.field());
    }

    @Test
    void aReportThatRanToItsEndHasAResultForEachUpdate() {
        JobDTO job = install("curl", "wget");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> runner.remote().report("laptop-7",
                job.id, report(claim.claimId, JobState.SUCCEEDED, result("curl", UpdateStatus.SUCCEEDED))));
        assertEquals("results", e.field());
        assertTrue(e.getMessage().contains("wget"), e.getMessage());
        JobDTO stopped = runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.INTERRUPTED,
                result("curl", UpdateStatus.SUCCEEDED)));
        assertEquals(JobState.INTERRUPTED, stopped.state, "a stopped job may leave updates out");
    }

    @Test
    void aReportOtherThanTheOneRecordedIsAConflict() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        JobReportDTO done = report(claim.claimId, JobState.SUCCEEDED, result("curl", UpdateStatus.SUCCEEDED));
        runner.remote().report("laptop-7", job.id, done);
        assertEquals(JobState.SUCCEEDED, runner.remote().report("laptop-7", job.id, done).state);
        ClaimLostException e = assertThrows(ClaimLostException.class, () -> runner.remote().report("laptop-7",
                job.id, report(claim.claimId, JobState.FAILED, result("curl", UpdateStatus.FAILED))));
        assertTrue(e.getMessage().contains("already recorded as SUCCEEDED"), e.getMessage());
    }

    @Test
    void aSuccessReportedAfterACancelSaysTheCancelCameLate() {
        JobDTO job = install("curl");
        JobClaimDTO claim = runner.remote().claim("laptop-7").orElseThrow();
        assertTrue(runner.cancel(job.id, "window closed"));
        JobDTO recorded = runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.SUCCEEDED,
                result("curl", UpdateStatus.SUCCEEDED)));
        assertEquals(JobState.SUCCEEDED, recorded.state);
        assertTrue(recorded.reason.contains("cancel (window closed) came after the work was done"),
                recorded.reason);
    }

    @Test
    void aClaimCarriesTheSettingsTheServersOwnSourcesWouldGet() {
        GroupDTO group = new GroupDTO();
        group.id = "branch-offices";
        group.windowsUpdate = new WindowsUpdateDTO();
        group.windowsUpdate.source = "wsus";
        group.windowsUpdate.wsusUrl = "https://wsus.example.com:8531";
        PolicyDTO policy = new PolicyDTO();
        policy.id = "weekly";
        policy.autoReboot = true;
        targetSettings = TargetSettings.of(group, policy);
        install("curl");
        TargetSettingsDTO settings = runner.remote().claim("laptop-7").orElseThrow().settings;
        assertEquals("wsus", settings.windowsUpdateSource);
        assertEquals("https://wsus.example.com:8531", settings.wsusUrl);
        assertEquals("RESTART_WHEN_NEEDED", settings.reboot);
        assertEquals("branch-offices", settings.groupId);
        assertEquals("weekly", settings.policyId);
    }

    @Test
    void aJobWhoseSettingsCannotBeReadIsNotHandedOut() {
        targetSettings = null;
        JobDTO job = install("curl");
        assertEquals(Optional.empty(), runner.remote().claim("laptop-7"));
        assertEquals(JobState.WAITING, runner.get(job.id).orElseThrow().state);
    }

    @Test
    void aWaitingClaimIsWokenAtOnceByAJobSubmittedHereAndWithinASecondByOneQueuedElsewhere() throws Exception {
        java.util.concurrent.ExecutorService waiter = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Optional<JobClaimDTO>> waiting = waiter.submit(
                    () -> runner.remote().claim("laptop-7", null, Duration.ofSeconds(20)));
            Thread.sleep(300);
            assertEquals(false, waiting.isDone(), "nothing is due: it waits");
            long submitted = System.nanoTime();
            JobDTO job = install("curl");
            JobClaimDTO claim = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS).orElseThrow();
            long millis = (System.nanoTime() - submitted) / 1_000_000;
            assertEquals(job.id, claim.job.id);
            assertTrue(millis < 500, "woken by the submit, not by polling: " + millis + " ms");
            runner.remote().report("laptop-7", job.id, report(claim.claimId, JobState.SUCCEEDED,
                    result("curl", UpdateStatus.SUCCEEDED)));

            // a job another node queued: only the store knows of it, and the once-a-second query finds it
            waiting = waiter.submit(() -> runner.remote().claim("laptop-7", null, Duration.ofSeconds(20)));
            Thread.sleep(300);
            JobDTO elsewhere = new JobDTO();
            elsewhere.id = java.util.UUID.randomUUID().toString();
            elsewhere.kind = JobKind.SCAN;
            elsewhere.deviceId = "laptop-7";
            elsewhere.sourceId = "apt";
            elsewhere.state = JobState.QUEUED;
            elsewhere.attempt = 1;
            elsewhere.createdAt = java.time.Instant.now();
            elsewhere.deadline = elsewhere.createdAt.plus(Duration.ofHours(1));
            long queued = System.nanoTime();
            store.queue.enqueue(elsewhere, 10);
            JobClaimDTO other = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS).orElseThrow();
            long otherMillis = (System.nanoTime() - queued) / 1_000_000;
            assertEquals(elsewhere.id, other.job.id);
            assertTrue(otherMillis < 2_500, "found by the batched query within about a second: " + otherMillis
                    + " ms");
            assertTrue(store.queue.devicesWithDueJobs(java.util.List.of("laptop-7", "laptop-8"),
                    java.time.Instant.now()).isEmpty(), "a device running a job has nothing due");
        } finally {
            waiter.shutdownNow();
        }
    }
}
