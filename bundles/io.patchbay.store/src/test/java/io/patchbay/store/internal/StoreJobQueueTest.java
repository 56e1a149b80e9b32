package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.queue.JobEndDTO;

/**
 * The queue on a real database: embedded H2, or PostgreSQL when PATCHBAY_TEST_POSTGRES_URL is set. Two queues with
 * their own pools play two server nodes on one database.
 */
class StoreJobQueueTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Ids unique to this run: on PostgreSQL the database outlives it. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String source = "src-" + run;

    @TempDir
    Path dir;
    private Database db1;
    private Database db2;
    private StoreJobQueue node1;
    private StoreJobQueue node2;
    private final List<Database> opened = new ArrayList<>();

    private Database open() {
        String postgres = System.getenv("PATCHBAY_TEST_POSTGRES_URL");
        Database.Config config = postgres == null || postgres.isBlank() ? DatabaseTest.config(10)
                : DatabaseTest.config(Map.of("url", postgres, "user", env("PATCHBAY_TEST_POSTGRES_USER", "patchbay"),
                        "_password", env("PATCHBAY_TEST_POSTGRES_PASSWORD", "patchbay"), "maxPoolSize", 10));
        Database db = new Database(new DatabaseTest().context(), config, () -> dir);
        opened.add(db);
        return db;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null ? otherwise : value;
    }

    @BeforeEach
    void start() {
        db1 = open();
        db2 = open();
        node1 = new StoreJobQueue(db1);
        node2 = new StoreJobQueue(db2);
    }

    @AfterEach
    void stop() {
        opened.forEach(Database::close);
    }

    private JobDTO job(String device, JobKind kind, Instant now, String... updates) {
        JobDTO j = new JobDTO();
        j.id = UUID.randomUUID().toString();
        j.kind = kind;
        j.deviceId = device + "-" + run;
        j.sourceId = source;
        j.createdAt = now;
        j.deadline = now.plus(Duration.ofHours(1));
        j.attempt = 1;
        if (updates.length > 0) {
            j.requested = new ArrayList<>();
            for (String id : updates) {
                UpdateDTO u = new UpdateDTO();
                u.id = id;
                j.requested.add(u);
            }
        }
        return j;
    }

    /** What a reaper pass at {@code at} ended of one job; on PostgreSQL, earlier runs' jobs may end in it too. */
    private static List<JobDTO> reaped(StoreJobQueue queue, Instant at, String jobId) {
        return queue.reap(Set.of(), at, at.minus(Duration.ofHours(2)), 3).stream().filter(j -> j.id.equals(jobId))
                .toList();
    }

    private static JobEndDTO end(JobClaimDTO claim, JobState state, Instant at) {
        JobEndDTO end = new JobEndDTO();
        end.jobId = claim.job.id;
        end.claimId = claim.claimId;
        end.state = state;
        end.endedAt = at;
        end.maxAttempts = 3;
        return end;
    }

    @Test
    void twoNodesClaimingFromManyThreadsNeverRunADeviceTwiceNorClaimAJobTwice() throws Exception {
        Instant now = Instant.now();
        int devices = 30;
        int perDevice = 4;
        for (int d = 0; d < devices; d++) {
            for (int i = 0; i < perDevice; i++) {
                node1.enqueue(job("d" + d, JobKind.SCAN, now, new String[0]), 100);
            }
        }
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> faults = new CopyOnWriteArrayList<>();
        AtomicInteger ended = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            StoreJobQueue queue = t % 2 == 0 ? node1 : node2;
            String node = t % 2 == 0 ? "node-1" : "node-2";
            workers.add(pool.submit(() -> {
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ended.get() < devices * perDevice && System.nanoTime() < until) {
                    Optional<JobClaimDTO> claim = queue.claimNext(null, Set.of(source), node, Instant.now(),
                            Instant.now().plus(LEASE));
                    if (claim.isEmpty()) {
                        Thread.yield();
                        continue;
                    }
                    JobDTO j = claim.get().job;
                    if (!claimed.add(j.id)) {
                        faults.add("job " + j.id + " claimed twice");
                    }
                    if (!running.add(j.deviceId)) {
                        faults.add("device " + j.deviceId + " ran two jobs at once");
                    }
                    running.remove(j.deviceId);
                    queue.end(end(claim.get(), JobState.SUCCEEDED, Instant.now()));
                    ended.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        assertEquals(List.of(), faults);
        assertEquals(devices * perDevice, ended.get(), "every job ran once");
        assertEquals(devices * perDevice, claimed.size());
    }

    @Test
    void aDeviceRunsOneJobAtATime() {
        Instant now = Instant.now();
        JobDTO first = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        JobDTO second = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        JobClaimDTO claim = node1.claimNext(null, Set.of(source), "node-1", now, now.plus(LEASE)).orElseThrow();
        assertEquals(first.id, claim.job.id, "oldest first");
        assertEquals(Optional.empty(), node2.claimNext(null, Set.of(source), "node-2", now, now.plus(LEASE)));
        assertEquals(Optional.empty(), node2.claim(second.id, "node-2", now, now.plus(LEASE)));
        node1.end(end(claim, JobState.SUCCEEDED, now));
        assertEquals(second.id, node2.claim(second.id, "node-2", now, now.plus(LEASE)).orElseThrow().job.id);
    }

    @Test
    void anExpiredLeaseEndsTheJobInterruptedAndQueuesBoundedRetries() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.INSTALL, now, "pkg"), 100);
        String id = job.id;
        for (int attempt = 1; attempt <= 3; attempt++) {
            JobClaimDTO claim = node1.claim(id, "node-1", now, now.plusSeconds(5)).orElseThrow();
            assertEquals(attempt, claim.job.attempt);
            // node-1 stops renewing; node-2 reaps once the lease has run out, not before
            assertEquals(List.of(), reaped(node2, now.plusSeconds(4), id));
            List<JobDTO> reaped = reaped(node2, now.plusSeconds(6), id);
            assertEquals(1, reaped.size());
            JobDTO interrupted = reaped.get(0);
            assertEquals(JobState.INTERRUPTED, interrupted.state);
            assertTrue(interrupted.reason.contains("node 'node-1' stopped renewing its lease"), interrupted.reason);
            assertEquals(UpdateStatus.INTERRUPTED, interrupted.results.get(0).status);
            String retried = id;
            Optional<JobDTO> next = node1.newest(50).stream().filter(j -> retried.equals(j.retryOf)).findFirst();
            if (attempt < 3) {
                assertEquals(attempt + 1, next.orElseThrow().attempt);
                assertEquals(JobState.QUEUED, next.get().state);
                id = next.get().id;
            } else {
                assertEquals(Optional.empty(), next, "three attempts at most");
                assertTrue(interrupted.log.stream().anyMatch(l -> l.message.contains("not retried")));
            }
        }
    }

    @Test
    void aSecondReportOfTheSameClaimIsRecordedOnce() throws Exception {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.INSTALL, now, "a", "b"), 100);
        JobClaimDTO claim = node1.claim(job.id, "agent:d", now, now.plus(LEASE)).orElseThrow();
        JobEndDTO end = end(claim, JobState.SUCCEEDED, now);
        end.results = new ArrayList<>();
        for (String u : List.of("a", "b")) {
            UpdateResultDTO r = new UpdateResultDTO();
            r.updateId = u;
            r.status = UpdateStatus.SUCCEEDED;
            end.results.add(r);
        }
        JobDTO first = node1.end(end);
        JobDTO again = node2.end(end);
        assertEquals(JobState.SUCCEEDED, again.state, "the first report stands");
        assertEquals(first.endedAt, again.endedAt);
        end.state = JobState.FAILED;
        ClaimLostException other = assertThrows(ClaimLostException.class, () -> node2.end(end));
        assertTrue(other.getMessage().contains("already recorded as SUCCEEDED"), other.getMessage());
        end.state = JobState.SUCCEEDED;
        end.results.get(1).status = UpdateStatus.FAILED;
        assertThrows(ClaimLostException.class, () -> node2.end(end), "other results contradict the record");
        int rows = db1.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pb_job_result WHERE job_id = ?")) {
                s.setString(1, job.id);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
        assertEquals(2, rows);
    }

    @Test
    void aLostClaimIsRefused() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        JobClaimDTO old = node1.claim(job.id, "agent:d", now, now.plusSeconds(1)).orElseThrow();
        assertEquals(1, reaped(node2, now.plusSeconds(2), job.id).size());
        assertThrows(ClaimLostException.class, () -> node1.progress(job.id, old.claimId, 50, null, null, now,
                now.plus(LEASE)));
        assertThrows(ClaimLostException.class, () -> node1.end(end(old, JobState.SUCCEEDED, now)));
        assertEquals(JobState.INTERRUPTED, node1.get(job.id).orElseThrow().state);
    }

    @Test
    void progressRenewsTheLeaseAndCarriesACancel() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        JobClaimDTO claim = node1.claim(job.id, "agent:d", now, now.plusSeconds(5)).orElseThrow();
        JobClaimDTO renewed = node1.progress(job.id, claim.claimId, 40, "half", List.of("line"), now.plusSeconds(4),
                now.plusSeconds(20));
        assertEquals(false, renewed.stopRequested);
        assertEquals(40, renewed.job.progress);
        assertEquals(List.of(), reaped(node2, now.plusSeconds(10), job.id), "the lease was renewed");
        assertEquals(JobState.RUNNING, node2.cancel(job.id, "operator", now).orElseThrow().state);
        JobClaimDTO stop = node1.progress(job.id, claim.claimId, null, null, null, now, now.plusSeconds(20));
        assertTrue(stop.stopRequested);
        assertEquals("operator", stop.stopReason);
    }

    @Test
    void aQueuedJobSurvivesARestartOfTheStore() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        opened.forEach(Database::close);
        opened.clear();
        StoreJobQueue after = new StoreJobQueue(open());
        assertEquals(JobState.QUEUED, after.get(job.id).orElseThrow().state);
        assertEquals(job.id, after.claimNext(job.deviceId, null, "node-3", now, now.plus(LEASE)).orElseThrow().job.id);
    }

    @Test
    void aSecondJobFollowingTheSameJobIsTheFirst() {
        Instant now = Instant.now();
        JobDTO scan = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        JobDTO install = job("d", JobKind.INSTALL, now, "a");
        install.follows = scan.id;
        JobDTO first = node1.enqueue(install, 100);
        JobDTO again = job("d", JobKind.INSTALL, now, "a");
        again.follows = scan.id;
        assertEquals(first.id, node2.enqueue(again, 100).id);
        assertNotEquals(again.id, first.id);
    }

    @Test
    void aDeviceWithTooManyPendingJobsRefusesMore() {
        Instant now = Instant.now();
        node1.enqueue(job("d", JobKind.SCAN, now), 2);
        node1.enqueue(job("d", JobKind.SCAN, now), 2);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> node1.enqueue(job("d", JobKind.SCAN, now), 2));
        assertEquals("maxPendingJobsPerDevice", e.limit());
    }

    @Test
    void aJobNotStartedByItsDeadlineTimesOut() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        // on PostgreSQL, jobs other runs left behind may time out in the same pass
        JobDTO reaped = node2.reap(Set.of(), now.plus(Duration.ofHours(2)), now, 3).stream()
                .filter(j -> j.id.equals(job.id)).findFirst().orElseThrow();
        assertEquals(JobState.TIMED_OUT, reaped.state);
        assertTrue(reaped.reason.contains("before the job could start"), reaped.reason);
    }

    @Test
    void aNodesOwnJobsAreRenewedAndNeverReapedWhileItHoldsThem() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.SCAN, now), 100);
        node1.claim(job.id, "node-1", now, now.plusSeconds(5)).orElseThrow();
        // node-1 still runs it: even with its clock far ahead, its own reaper leaves it alone
        assertEquals(List.of(), node1.reap(Set.of(job.id), now.plusSeconds(60), now, 3).stream()
                .filter(j -> j.id.equals(job.id)).toList());
        node2.cancel(job.id, "asked on node 2", now);
        List<io.patchbay.api.queue.JobStopDTO> stops = node1.renew("node-1", Set.of(job.id), now.plusSeconds(90));
        assertEquals(List.of(job.id), stops.stream().map(s -> s.jobId).toList(), "the cancel reaches node 1");
        assertEquals(List.of(), reaped(node2, now.plusSeconds(60), job.id), "renewed until then");
        assertEquals(1, reaped(node2, now.plusSeconds(91), job.id).size());
    }

    @Test
    void aJobListingAnUpdateTwiceIsRefused() {
        Instant now = Instant.now();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> node1.enqueue(job("d", JobKind.INSTALL, now, "hello", "hello"), 100));
        assertEquals("updates[1].id", e.field());
    }

    @Test
    void aCancelledJobWhoseLeaseRunsOutEndsCancelledAndIsNotRetried() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.INSTALL, now, "pkg"), 100);
        node1.claim(job.id, "agent:d", now, now.plusSeconds(5)).orElseThrow();
        assertEquals(JobState.RUNNING, node1.cancel(job.id, "operator", now).orElseThrow().state);
        List<JobDTO> reaped = reaped(node2, now.plusSeconds(6), job.id);
        assertEquals(1, reaped.size());
        assertEquals(JobState.CANCELLED, reaped.get(0).state);
        assertTrue(reaped.get(0).reason.contains("operator"), reaped.get(0).reason);
        assertTrue(reaped.get(0).reason.contains("stopped renewing"), reaped.get(0).reason);
        assertEquals(Optional.empty(), node1.newest(50).stream().filter(j -> job.id.equals(j.retryOf)).findFirst(),
                "a cancelled job is not tried again");
    }

    @Test
    void aJobWhoseEndCannotBeRecordedDoesNotStopTheReaperEndingOthers() {
        Instant now = Instant.now();
        JobDTO stuck = node1.enqueue(job("d1", JobKind.INSTALL, now, "pkg"), 100);
        JobDTO other = node1.enqueue(job("d2", JobKind.INSTALL, now, "pkg"), 100);
        node1.claim(stuck.id, "node-1", now.minusSeconds(1), now.plusSeconds(1)).orElseThrow();
        node1.claim(other.id, "node-1", now, now.plusSeconds(2)).orElseThrow();
        // a result already there: recording the stuck job's results collides with it
        db1.transaction(c -> Rows.update(c, "INSERT INTO pb_job_result (job_id, update_id, device_id, source_id, "
                + "status, ended_at) VALUES (?, 'pkg', ?, ?, 'FAILED', ?)", stuck.id, stuck.deviceId, source,
                JobRows.at(now)));
        List<JobDTO> reaped = node2.reap(Set.of(), now.plusSeconds(5), now.minus(Duration.ofHours(2)), 1);
        assertEquals(JobState.INTERRUPTED, reaped.stream().filter(j -> j.id.equals(other.id)).findFirst()
                .orElseThrow().state);
        JobDTO ended = node1.get(stuck.id).orElseThrow();
        assertEquals(JobState.INTERRUPTED, ended.state, "it ends, without the results that could not be stored");
        assertTrue(ended.reason.contains("could not be recorded"), ended.reason);
    }

    @Test
    void anEndNamingAnUpdateTwiceIsRecordedWithItsFirstResult() {
        Instant now = Instant.now();
        JobDTO job = node1.enqueue(job("d", JobKind.INSTALL, now, "hello"), 100);
        JobClaimDTO claim = node1.claim(job.id, "agent:d", now, now.plus(LEASE)).orElseThrow();
        JobEndDTO end = end(claim, JobState.SUCCEEDED, now);
        end.results = new ArrayList<>();
        for (UpdateStatus status : List.of(UpdateStatus.SUCCEEDED, UpdateStatus.FAILED)) {
            UpdateResultDTO r = new UpdateResultDTO();
            r.updateId = "hello";
            r.status = status;
            end.results.add(r);
        }
        assertEquals(JobState.SUCCEEDED, node1.end(end).state);
        assertEquals(UpdateStatus.SUCCEEDED, node1.get(job.id).orElseThrow().results.get(0).status);
    }

    @Test
    void aJobWhoseLeaseRunsOutAfterItsDeadlineTimesOutAndIsNotRetried() {
        Instant now = Instant.now();
        JobDTO request = job("d", JobKind.INSTALL, now, "pkg");
        request.deadline = now.plusSeconds(3);
        JobDTO job = node1.enqueue(request, 100);
        node1.claim(job.id, "agent:d", now, now.plusSeconds(5)).orElseThrow();
        List<JobDTO> reaped = reaped(node2, now.plusSeconds(6), job.id);
        assertEquals(JobState.TIMED_OUT, reaped.get(0).state);
        assertEquals(Optional.empty(), node1.newest(50).stream().filter(j -> job.id.equals(j.retryOf)).findFirst());
    }
}
