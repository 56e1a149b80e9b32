package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.JobContext;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.UpdateSource;

/** Two job engines with their own node ids on one queue: every job runs once, and a device runs one job at a time. */
class TwoNodesTest {
    private static final int DEVICES = 6;
    private static final int JOBS_PER_DEVICE = 5;
    private final TestQueue store = new TestQueue();
    private final List<JobRunner> nodes = new ArrayList<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final List<String> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger scans = new AtomicInteger();

    @AfterEach
    void tearDown() {
        nodes.forEach(JobRunner::close);
        store.close();
    }

    /** A scan that takes a moment, and notices when its device is scanned twice at once. */
    private final UpdateSource source = new UpdateSource() {
        @Override
        public List<UpdateDTO> scan(Target target, JobContext context) throws InterruptedException {
            if (!busy.add(target.device().id)) {
                faults.add("device " + target.device().id + " ran two jobs at once");
            }
            scans.incrementAndGet();
            Thread.sleep(5);
            busy.remove(target.device().id);
            return List.of();
        }

        @Override
        public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context) {
            return List.of();
        }

        @Override
        public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context) {
            return List.of();
        }
    };

    private JobRunner node(String id) {
        SourceRegistry registry = new SourceRegistry();
        registry.put(new SourceEntry("apt", "apt", List.of("linux"), "apt.bundle", "1.0.0", nodes.size() + 1, 0,
                () -> new SourceEntry.Lease() {
                    @Override
                    public UpdateSource source() {
                        return source;
                    }

                    @Override
                    public void close() {
                    }
                }));
        Host host = new LocalHost(Path.of("/"));
        JobRunner runner = new JobRunner(Clock.systemUTC(), new JobRunner.Settings(3, Duration.ofMinutes(5),
                Duration.ofMillis(300), 3, 1_000, 100, Duration.ofSeconds(30), id), registry,
                new JobRunner.Environment() {
                    @Override
                    public Optional<DeviceDTO> device(String deviceId) {
                        DeviceDTO d = new DeviceDTO();
                        d.id = deviceId;
                        d.osFamily = "linux";
                        return Optional.of(d);
                    }

                    @Override
                    public Optional<Host> host(DeviceDTO device) {
                        return Optional.of(host);
                    }

                    @Override
                    public Optional<BlockRuleDTO> blocked(UpdateDTO update) {
                        return Optional.empty();
                    }
                }, () -> store.queue);
        nodes.add(runner);
        return runner;
    }

    @Test
    void jobsSubmittedOnEitherNodeRunOnceAndOneAtATimePerDevice() throws Exception {
        JobRunner a = node("node-a");
        JobRunner b = node("node-b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS_PER_DEVICE; i++) {
            for (int d = 0; d < DEVICES; d++) {
                JobRequestDTO r = new JobRequestDTO();
                r.kind = JobKind.SCAN;
                r.deviceId = "device-" + d;
                r.sourceId = "apt";
                ids.add((((i + d) % 2 == 0) ? a : b).submit(r).id);
            }
        }
        Set<String> claimedBy = ConcurrentHashMap.newKeySet();
        for (String id : ids) {
            JobDTO done = a.await(id, Duration.ofSeconds(30)).orElseThrow();
            assertEquals(JobState.SUCCEEDED, done.state, done.reason);
            done.log.stream().filter(l -> l.message.startsWith("claimed by ")).forEach(l -> claimedBy.add(l.message));
            assertEquals(1, done.log.stream().filter(l -> l.message.startsWith("claimed by ")).count(),
                    "claimed once: " + done.log);
        }
        assertEquals(List.of(), faults);
        assertEquals(DEVICES * JOBS_PER_DEVICE, scans.get(), "each job ran once");
        assertEquals(Set.of("claimed by node 'node-a'", "claimed by node 'node-b'"), claimedBy, "both nodes ran jobs");
    }
}
