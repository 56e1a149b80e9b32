package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.patchbay.api.BlockRules;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.JobContext;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.UpdateSource;
import io.patchbay.api.queue.JobQueue;

class JobRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    private final SourceRegistry registry = new SourceRegistry();
    private final Map<String, DeviceDTO> devices = new ConcurrentHashMap<>();
    private final Set<String> reachable = ConcurrentHashMap.newKeySet();
    private final List<BlockRuleDTO> rules = new CopyOnWriteArrayList<>();
    private final Host host = new LocalHost(Path.of("/"));
    private final List<JobDTO> ended = new CopyOnWriteArrayList<>();
    /** Calls out of the runner (environment, listeners, sources) made while it held its lock. */
    private final List<String> calledUnderLock = new CopyOnWriteArrayList<>();
    /** What the environment says about the whole server stopping. */
    private volatile boolean serverStopping;
    private JobRunner runner;
    /** The store's queue, on an in-memory database of this test's own. */
    private TestQueue store;
    /** The queue as the runner sees it: every call is checked against the runner's lock. */
    private JobQueue queue;

    @BeforeEach
    void setUp() {
        store = new TestQueue();
        queue = (JobQueue) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { JobQueue.class },
                (p, m, a) -> {
                    calledOut("queue." + m.getName());
                    try {
                        return m.invoke(store.queue, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        device("d1");
        device("d2");
        runner = runner(Clock.systemUTC(), new JobRunner.Settings(4, Duration.ofMinutes(5), Duration.ofMillis(300),
                3));
    }

    private JobRunner runner(Clock clock, JobRunner.Settings settings) {
        return new JobRunner(clock, settings, registry, new JobRunner.Environment() {
            @Override
            public Optional<DeviceDTO> device(String id) {
                calledOut("device");
                return Optional.ofNullable(devices.get(id));
            }

            @Override
            public Optional<Host> host(DeviceDTO device) {
                calledOut("host");
                return reachable.contains(device.id) ? Optional.of(host) : Optional.empty();
            }

            @Override
            public Optional<BlockRuleDTO> blocked(UpdateDTO update) {
                calledOut("blocked");
                return rules.stream().filter(r -> BlockRules.matches(r, update)).findFirst();
            }

            @Override
            public void jobEnded(JobDTO job) {
                calledOut("jobEnded");
                ended.add(job);
            }

            @Override
            public boolean serverStopping() {
                calledOut("serverStopping");
                return serverStopping;
            }
        }, () -> queue);
    }

    private void calledOut(String what) {
        if (runner != null && runner.holdsLock()) {
            calledUnderLock.add(what + " on " + Thread.currentThread().getName());
        }
    }

    @AfterEach
    void nothingWasCalledOutUnderTheLock() {
        assertEquals(List.of(), calledUnderLock, "called while the runner held its lock");
    }

    @AfterEach
    void tearDown() {
        runner.close();
        store.close();
    }

    private void device(String id) {
        DeviceDTO d = new DeviceDTO();
        d.id = id;
        d.osFamily = "linux";
        devices.put(id, d);
        reachable.add(id);
    }

    /** A source whose behaviour each test scripts. */
    static class FakeSource implements UpdateSource {
        final List<List<String>> installCalls = new CopyOnWriteArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile boolean honourCancel = true;
        volatile boolean logAfterCancel;
        volatile Runnable calledOut = () -> {
        };

        @Override
        public List<UpdateDTO> scan(Target target, JobContext context) {
            calledOut.run();
            started.countDown();
            return List.of(update("openssl", "3.0.1", "3.0.2"), update("curl", "7.88", "7.89"));
        }

        @Override
        public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context)
                throws InterruptedException {
            calledOut.run();
            installCalls.add(updates.stream().map(u -> u.id).toList());
            started.countDown();
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                if (honourCancel && context.isCancelled()) {
                    if (logAfterCancel) {
                        Thread.sleep(50);
                        context.log("written after the job was stopped");
                    }
                    context.checkCancelled();
                }
            }
            List<UpdateResultDTO> results = new ArrayList<>();
            for (UpdateDTO u : updates) {
                UpdateResultDTO r = new UpdateResultDTO();
                r.updateId = u.id;
                r.status = UpdateStatus.SUCCEEDED;
                r.versionBefore = u.installedVersion;
                r.versionAfter = u.version;
                results.add(r);
            }
            return results;
        }

        @Override
        public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context) {
            return List.of();
        }
    }

    private SourceEntry add(String id, UpdateSource source) {
        if (source instanceof FakeSource fake) {
            fake.calledOut = () -> calledOut("the source");
        }
        SourceEntry entry = new SourceEntry(id, "fake", List.of("linux"), "fake.bundle", "1.0.0",
                SERVICE_IDS.incrementAndGet(), 0, () -> new SourceEntry.Lease() {
                    @Override
                    public UpdateSource source() {
                        return source;
                    }

                    @Override
                    public void close() {
                    }
                });
        registry.put(entry);
        runner.sourceArrived();
        return entry;
    }

    private void leave(SourceEntry entry) {
        registry.remove(entry.serviceId());
        runner.sourceLeaving(entry);
    }

    static UpdateDTO update(String id, String installed, String version) {
        UpdateDTO u = new UpdateDTO();
        u.id = id;
        u.name = id;
        u.title = id + " " + version;
        u.installedVersion = installed;
        u.version = version;
        return u;
    }

    private static JobRequestDTO request(JobKind kind, String device, String source, UpdateDTO... updates) {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = kind;
        r.deviceId = device;
        r.sourceId = source;
        r.updates = List.of(updates);
        return r;
    }

    private JobDTO awaitEnd(JobDTO job) throws InterruptedException {
        JobDTO done = runner.await(job.id, WAIT).orElseThrow();
        assertTrue(done.state.isFinal(), "job did not end: " + done.state + " " + done.reason);
        return done;
    }

    private JobDTO awaitState(String id, JobState state) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        JobDTO job;
        do {
            job = runner.get(id).orElseThrow();
            if (job.state == state) {
                return job;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < end);
        throw new AssertionError("job " + id + " is " + job.state + " (" + job.reason + "), not " + state);
    }

    private static BlockRuleDTO rule(String id, String updateId) {
        BlockRuleDTO r = new BlockRuleDTO();
        r.id = id;
        r.updateId = updateId;
        r.reason = "breaks the payroll app";
        return r;
    }

    @Test
    void scanReportsUpdatesStampedWithTheirSourceAndMarksBlockedOnes() throws Exception {
        add("apt-main", new FakeSource());
        rules.add(rule("r1", "curl"));
        JobDTO job = awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "apt-main")));
        assertEquals(JobState.SUCCEEDED, job.state);
        assertEquals(2, job.found.size());
        UpdateDTO openssl = job.found.get(0);
        assertEquals("apt-main", openssl.sourceId);
        assertEquals("fake", openssl.sourceType);
        assertNull(openssl.blockedBy);
        assertEquals("r1", job.found.get(1).blockedBy);
        assertEquals("fake.bundle", job.sourceBundle);
    }

    @Test
    void blockedUpdatesNeverReachTheSource() throws Exception {
        FakeSource source = new FakeSource();
        add("apt", source);
        rules.add(rule("r1", "openssl"));
        JobDTO job = awaitEnd(runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2"),
                update("curl", "7", "8"))));
        assertEquals(List.of(List.of("curl")), source.installCalls);
        assertEquals(UpdateStatus.BLOCKED, job.results.get(0).status);
        assertTrue(job.results.get(0).message.contains("r1"), job.results.get(0).message);
        assertEquals(UpdateStatus.SUCCEEDED, job.results.get(1).status);
        assertEquals("8", job.results.get(1).versionAfter);
        assertEquals(JobState.SUCCEEDED, job.state);
    }

    @Test
    void whenEveryUpdateIsBlockedTheSourceIsNotCalled() throws Exception {
        FakeSource source = new FakeSource();
        add("apt", source);
        rules.add(rule("r1", "openssl"));
        JobDTO job = awaitEnd(runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2"))));
        assertTrue(source.installCalls.isEmpty());
        assertEquals(UpdateStatus.BLOCKED, job.results.get(0).status);
    }

    @Test
    void aSourceThatInstallsABlockedUpdateFailsTheJob() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        add("apt", source);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2")));
        assertTrue(source.started.await(5, TimeUnit.SECONDS));
        rules.add(rule("late", "openssl")); // the rule arrives while the source installs
        source.release.countDown();
        JobDTO done = awaitEnd(job);
        assertEquals(JobState.FAILED, done.state);
        assertTrue(done.reason.contains("late"), done.reason);
    }

    @Test
    void oneJobPerDeviceAtATimeButDevicesRunInParallel() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        add("apt", source);
        JobDTO first = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2")));
        awaitState(first.id, JobState.RUNNING);
        JobDTO second = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("b", "1", "2")));
        JobDTO other = runner.submit(request(JobKind.INSTALL, "d2", "apt", update("c", "1", "2")));
        awaitState(other.id, JobState.RUNNING);
        JobDTO queued = runner.get(second.id).orElseThrow();
        assertEquals(JobState.QUEUED, queued.state);
        assertTrue(queued.reason.contains("another job"), queued.reason);
        source.release.countDown();
        assertEquals(JobState.SUCCEEDED, awaitEnd(first).state);
        assertEquals(JobState.SUCCEEDED, awaitEnd(second).state);
        assertEquals(JobState.SUCCEEDED, awaitEnd(other).state);
    }

    @Test
    void aJobWaitsForItsSourceAndRunsWhenItArrives() throws Exception {
        JobDTO job = runner.submit(request(JobKind.SCAN, "d1", "dnf"));
        JobDTO waiting = awaitState(job.id, JobState.WAITING);
        assertTrue(waiting.reason.contains("source 'dnf' is not available"), waiting.reason);
        add("dnf", new FakeSource());
        assertEquals(JobState.SUCCEEDED, awaitEnd(job).state);
    }

    @Test
    void aJobWaitsWhileItsDeviceHasNoHost() throws Exception {
        add("apt", new FakeSource());
        reachable.remove("d1");
        JobDTO job = runner.submit(request(JobKind.SCAN, "d1", "apt"));
        JobDTO waiting = awaitState(job.id, JobState.WAITING);
        assertTrue(waiting.reason.contains("no reachable host"), waiting.reason);
        reachable.add("d1");
        // the dispatcher looks at the device again within Dispatcher.RECHECK
        assertEquals(JobState.SUCCEEDED, awaitEnd(job).state);
    }

    @Test
    void aSourceLeavingMidJobInterruptsItAndTheJobIsRetriedWhenTheSourceReturns() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        SourceEntry entry = add("apt", source);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2")));
        awaitState(job.id, JobState.RUNNING);

        leave(entry);

        JobDTO interrupted = runner.get(job.id).orElseThrow();
        assertEquals(JobState.INTERRUPTED, interrupted.state);
        assertTrue(interrupted.reason.contains("left while the job ran"), interrupted.reason);
        assertEquals(UpdateStatus.INTERRUPTED, interrupted.results.get(0).status);
        JobDTO retry = runner.list().stream().filter(j -> job.id.equals(j.retryOf)).findFirst().orElseThrow();
        assertEquals(2, retry.attempt);
        assertEquals(JobState.WAITING, awaitState(retry.id, JobState.WAITING).state);

        FakeSource returned = new FakeSource();
        add("apt", returned);
        JobDTO done = awaitEnd(retry);
        assertEquals(JobState.SUCCEEDED, done.state);
        assertEquals(List.of(List.of("openssl")), returned.installCalls);
    }

    @Test
    void aSourceLeavingAsTheServerStopsEndsItsJobSayingSoAndQueuesTheNextAttemptForTheRestart() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        SourceEntry entry = add("apt", source);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2")));
        awaitState(job.id, JobState.RUNNING);

        serverStopping = true;
        leave(entry);

        JobDTO interrupted = runner.get(job.id).orElseThrow();
        assertEquals(JobState.INTERRUPTED, interrupted.state);
        assertEquals("the server stopped while the job ran", interrupted.reason);
        assertEquals(UpdateStatus.INTERRUPTED, interrupted.results.get(0).status);
        // the queue is kept: the next attempt runs when the server is back
        JobDTO retry = runner.list().stream().filter(j -> job.id.equals(j.retryOf)).findFirst().orElseThrow();
        assertEquals(2, retry.attempt);
        assertEquals(JobState.QUEUED, retry.state);
    }

    @Test
    void aSourceThatIgnoresCancellationIsInterruptedAfterTheGracePeriod() throws Exception {
        UpdateSource stubborn = new FakeSource() {
            @Override
            public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context)
                    throws InterruptedException {
                started.countDown();
                Thread.sleep(60_000);
                return List.of();
            }
        };
        SourceEntry entry = add("apt", stubborn);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2")));
        awaitState(job.id, JobState.RUNNING);
        long start = System.nanoTime();
        leave(entry);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(JobState.INTERRUPTED, runner.get(job.id).orElseThrow().state);
        assertTrue(tookMillis < 5_000, "leaving took " + tookMillis + " ms");
    }

    @Test
    void writesFromADepartedSourceAreDropped() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        source.logAfterCancel = true;
        SourceEntry entry = add("apt", source);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("openssl", "1", "2")));
        awaitState(job.id, JobState.RUNNING);
        leave(entry);
        Thread.sleep(200);
        JobDTO after = runner.get(job.id).orElseThrow();
        assertFalse(after.log.stream().anyMatch(l -> l.message.contains("written after")), after.log.toString());
    }

    @Test
    void aSourceThatThrowsFailsTheJobWithItsMessage() throws Exception {
        add("apt", new FakeSource() {
            @Override
            public List<UpdateDTO> scan(Target target, JobContext context) {
                throw new IllegalStateException("apt-get update: could not resolve the mirror");
            }
        });
        JobDTO job = awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "apt")));
        assertEquals(JobState.FAILED, job.state);
        assertTrue(job.reason.contains("could not resolve the mirror"), job.reason);
    }

    @Test
    void missingResultsAreNotAttemptedAndUnrequestedOnesAreIgnored() throws Exception {
        add("apt", new FakeSource() {
            @Override
            public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context) {
                UpdateResultDTO extra = new UpdateResultDTO();
                extra.updateId = "libc6";
                extra.status = UpdateStatus.SUCCEEDED;
                UpdateResultDTO a = new UpdateResultDTO();
                a.updateId = "a";
                a.status = UpdateStatus.SUCCEEDED;
                return List.of(extra, a);
            }
        });
        JobDTO job = awaitEnd(runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2"),
                update("b", "1", "2"))));
        assertEquals(2, job.results.size());
        assertEquals(UpdateStatus.SUCCEEDED, job.results.get(0).status);
        assertEquals(UpdateStatus.NOT_ATTEMPTED, job.results.get(1).status);
        assertEquals(JobState.FAILED, job.state);
        assertTrue(job.log.stream().anyMatch(l -> l.message.contains("'libc6', which was not requested")));
    }

    @Test
    void cancellingARunningJobStopsItAndAWaitingOneAtOnce() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        add("apt", source);
        JobDTO running = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2")));
        awaitState(running.id, JobState.RUNNING);
        JobDTO queued = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("b", "1", "2")));
        assertTrue(runner.cancel(queued.id, null));
        assertEquals(JobState.CANCELLED, runner.get(queued.id).orElseThrow().state);
        assertTrue(runner.cancel(running.id, "operator changed their mind"));
        JobDTO done = awaitEnd(running);
        assertEquals(JobState.CANCELLED, done.state);
        assertEquals("operator changed their mind", done.reason);
        assertEquals(UpdateStatus.INTERRUPTED, done.results.get(0).status);
        assertFalse(runner.cancel(running.id, null), "an ended job cannot be cancelled");
    }

    @Test
    void aJobStillRunningAtItsDeadlineTimesOut() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        add("apt", source);
        JobRequestDTO r = request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2"));
        r.deadline = Instant.now().plusMillis(300);
        JobDTO done = awaitEnd(runner.submit(r));
        assertEquals(JobState.TIMED_OUT, done.state);
        assertTrue(done.reason.contains("deadline"), done.reason);
    }

    @Test
    void badRequestsNameTheFieldAtFault() {
        assertEquals("kind", assertThrows(InvalidInputException.class,
                () -> runner.submit(request(null, "d1", "apt"))).field());
        assertEquals("deviceId", assertThrows(InvalidInputException.class,
                () -> runner.submit(request(JobKind.SCAN, "nope", "apt"))).field());
        assertEquals("updates", assertThrows(InvalidInputException.class,
                () -> runner.submit(request(JobKind.INSTALL, "d1", "apt"))).field());
        assertEquals("updates[0].id", assertThrows(InvalidInputException.class,
                () -> runner.submit(request(JobKind.INSTALL, "d1", "apt", new UpdateDTO()))).field());
        JobRequestDTO past = request(JobKind.SCAN, "d1", "apt");
        past.deadline = Instant.now().minusSeconds(1);
        assertEquals("deadline", assertThrows(InvalidInputException.class, () -> runner.submit(past)).field());
        assertTrue(runner.list().isEmpty(), "a refused request leaves no job behind");
    }

    @Test
    void listenersHearOfEveryEndedJobInOrderWithItsResults() throws Exception {
        add("apt", new FakeSource());
        JobDTO scan = awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "apt")));
        JobRequestDTO install = request(JobKind.INSTALL, "d1", "apt", update("curl", "7", "8"));
        install.runId = "run-1";
        JobDTO installed = awaitEnd(runner.submit(install));
        JobDTO cancelled = runner.submit(request(JobKind.SCAN, "d1", "nowhere"));
        runner.cancel(cancelled.id, null);
        long end = System.currentTimeMillis() + 5000;
        while (ended.size() < 3 && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of(scan.id, installed.id, cancelled.id), ended.stream().map(j -> j.id).toList());
        assertEquals(2, ended.get(0).found.size());
        assertEquals("run-1", ended.get(1).runId);
        assertEquals(UpdateStatus.SUCCEEDED, ended.get(1).results.get(0).status);
        assertEquals(JobState.CANCELLED, ended.get(2).state);
    }

    @Test
    void theRegistryPrefersTheHighestRankingServiceForAnId() {
        SourceEntry low = new SourceEntry("apt", "apt", List.of(), "a", "1", 1, 0, () -> null);
        SourceEntry high = new SourceEntry("apt", "apt", List.of(), "a", "2", 2, 10, () -> null);
        registry.put(low);
        registry.put(high);
        assertEquals(2, registry.active("apt").orElseThrow().serviceId());
        var listed = registry.snapshot().list(Map.of(), Set.of());
        assertEquals("ACTIVE", listed.get(0).state);
        assertEquals("2", listed.get(0).bundleVersion);
        assertEquals("STANDBY", listed.get(1).state);
        assertTrue(registry.remove(2).isPresent(), "the service that leaves is removed");
        assertTrue(registry.remove(2).isEmpty(), "and only once");
        assertEquals(1, registry.active("apt").orElseThrow().serviceId());
    }

    @Test
    void aJobNamingMoreUpdatesThanAllowedIsRefusedNamingUpdates() {
        runner.close();
        runner = runner(Clock.systemUTC(), new JobRunner.Settings(4, Duration.ofMinutes(5), Duration.ofMillis(300), 3,
                3, 100));
        add("apt", new FakeSource());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> runner.submit(request(
                JobKind.INSTALL, "d1", "apt", update("a", "1", "2"), update("b", "1", "2"), update("c", "1", "2"),
                update("d", "1", "2"))));
        assertEquals("updates", e.field());
        assertTrue(e.getMessage().contains("at most 3"), e.getMessage());
        assertTrue(runner.list().isEmpty(), "nothing was queued");
        runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2"), update("b", "1", "2"),
                update("c", "1", "2")));
    }

    @Test
    void aDeviceWithTooManyPendingJobsRefusesMoreUntilOneEnds() throws Exception {
        runner.close();
        runner = runner(Clock.systemUTC(), new JobRunner.Settings(4, Duration.ofMinutes(5), Duration.ofMillis(300), 3,
                1000, 3));
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        add("apt", source);
        JobDTO running = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2")));
        awaitState(running.id, JobState.RUNNING);
        runner.submit(request(JobKind.SCAN, "d1", "apt"));
        runner.submit(request(JobKind.SCAN, "d1", "apt"));
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> runner.submit(request(JobKind.SCAN, "d1", "apt")));
        assertEquals("maxPendingJobsPerDevice", e.limit());
        assertEquals(3, e.maximum());
        assertTrue(e.getMessage().contains("'d1'"), e.getMessage());
        assertEquals(3, runner.list().size(), "the refused job was not queued");
        runner.submit(request(JobKind.SCAN, "d2", "apt")); // another device is not limited by d1's jobs

        source.release.countDown();
        awaitEnd(running);
        JobDTO later = runner.submit(request(JobKind.SCAN, "d1", "apt"));
        assertEquals(JobState.SUCCEEDED, awaitEnd(later).state);
    }

    @Test
    void jobTimesComeFromTheInjectedClock() throws Exception {
        Instant then = Instant.parse("2031-02-03T04:05:06Z");
        runner.close();
        runner = runner(Clock.fixed(then, java.time.ZoneOffset.UTC), new JobRunner.Settings(4, Duration.ofMinutes(5),
                Duration.ofMillis(300), 3));
        add("apt", new FakeSource());
        JobDTO job = awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "apt")));
        assertEquals(then, job.createdAt);
        assertEquals(then, job.startedAt);
        assertEquals(then, job.endedAt);
        assertEquals(then.plus(Duration.ofMinutes(5)), job.deadline);
    }

    @Test
    void aSourceThatIgnoresTheInterruptStillEndsItsJobAndFreesTheDevice() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        FakeSource deaf = new FakeSource() {
            @Override
            public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context) {
                started.countDown();
                while (true) {
                    try {
                        if (letGo.await(10, TimeUnit.SECONDS)) {
                            return List.of();
                        }
                    } catch (InterruptedException e) {
                        // ignores the interrupt as well as the stop request
                    }
                }
            }
        };
        add("apt", deaf);
        try {
            JobRequestDTO r = request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2"));
            r.deadline = Instant.now().plusMillis(300);
            JobDTO job = runner.submit(r);
            assertTrue(deaf.started.await(5, TimeUnit.SECONDS));
            JobDTO done = awaitEnd(job);
            assertEquals(JobState.TIMED_OUT, done.state);
            assertTrue(done.reason.contains("did not return"), done.reason);
            assertEquals(UpdateStatus.INTERRUPTED, done.results.get(0).status);

            add("dnf", new FakeSource());
            JobDTO next = awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "dnf")));
            assertEquals(JobState.SUCCEEDED, next.state, "the device is free again: " + next.reason);
        } finally {
            letGo.countDown();
        }
    }

    @Test
    void theSourceListTakesRunningCountsAndDrainsAsValues() throws Exception {
        FakeSource source = new FakeSource();
        source.release = new CountDownLatch(1);
        SourceEntry entry = add("apt", source);
        JobDTO job = runner.submit(request(JobKind.INSTALL, "d1", "apt", update("a", "1", "2")));
        awaitState(job.id, JobState.RUNNING);
        assertEquals(Map.of(entry.serviceId(), 1), runner.runningJobsByServiceId());
        assertEquals(0, runner.drain("apt", Duration.ZERO) == 1 ? 0 : 1, "the drain returns with the job running");
        var listed = registry.snapshot().list(runner.runningJobsByServiceId(), runner.drainingSources());
        assertEquals("DRAINING", listed.get(0).state);
        assertEquals(1, listed.get(0).runningJobs);
        runner.undrain("apt");
        source.release.countDown();
        awaitEnd(job);
        listed = registry.snapshot().list(runner.runningJobsByServiceId(), runner.drainingSources());
        assertEquals("ACTIVE", listed.get(0).state);
        assertEquals(0, listed.get(0).runningJobs);
    }

    @Test
    void aSourceServiceThatNeverBecomesReadyTimesOutItsJobAndFreesTheDevice() throws Exception {
        CountDownLatch activating = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        FakeSource source = new FakeSource();
        SourceEntry hanging = new SourceEntry("slow-start", "fake", List.of("linux"), "fake.bundle", "1.0.0",
                SERVICE_IDS.incrementAndGet(), 0, () -> {
                    activating.countDown();
                    try {
                        letGo.await(); // a plugin whose activation never returns
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
        registry.put(hanging);
        try {
            JobRequestDTO r = request(JobKind.SCAN, "d1", "slow-start");
            r.deadline = Instant.now().plusMillis(300);
            JobDTO job = runner.submit(r);
            assertTrue(activating.await(5, TimeUnit.SECONDS));
            JobDTO done = awaitEnd(job);
            assertEquals(JobState.TIMED_OUT, done.state);
            assertTrue(done.reason.contains("being started"), done.reason);

            add("apt", source);
            assertEquals(JobState.SUCCEEDED, awaitEnd(runner.submit(request(JobKind.SCAN, "d1", "apt"))).state,
                    "the device is free again");
        } finally {
            letGo.countDown();
        }
    }
}
