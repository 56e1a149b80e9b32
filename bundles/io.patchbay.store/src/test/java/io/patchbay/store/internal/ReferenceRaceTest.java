package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.ConflictException;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.ScheduleDTO;

/** Deletes of groups and policies raced against creates that refer to them, on embedded H2. */
class ReferenceRaceTest {
    private static final int ROUNDS = 40;
    /** Names unique to this run: on PostgreSQL the database outlives it. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;
    private Database db;
    private StorePolicies policies;
    private StoreGroups groups;
    private StoreDevices devices;
    private final ExecutorService pool = Executors.newFixedThreadPool(5);

    @BeforeEach
    void start() throws Exception {
        String postgres = System.getenv("PATCHBAY_TEST_POSTGRES_URL");
        Database.Config config = postgres == null || postgres.isBlank() ? DatabaseTest.config(10)
                : DatabaseTest.config(Map.of("url", postgres, "user", env("PATCHBAY_TEST_POSTGRES_USER", "patchbay"),
                        "_password", env("PATCHBAY_TEST_POSTGRES_PASSWORD", "patchbay"), "maxPoolSize", 10));
        db = new Database(new DatabaseTest().context(), config, () -> dir);
        StoreClock clock = new StoreClock();
        Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, new SlowClock());
        policies = new StorePolicies(db, clock);
        groups = new StoreGroups(db, clock);
        devices = new StoreDevices(db, clock, new AgentSettings(java.util.Map.of()));
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null ? otherwise : value;
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        db.close();
    }

    @Test
    void aDeviceIsNeverCreatedInAGroupWhoseDeleteSucceeded() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String g = groups.create(group("race-" + run + "-" + round, null), "test").id;
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                work.add(() -> outcome(() -> groups.delete(g, 1, "test")));
            }
            for (int i = 0; i < 2; i++) {
                int n = i;
                work.add(() -> outcome(() -> devices.create(device("host-" + run + "-" + n, g), "test")));
            }
            List<String> outcomes = race(work);
            List<String> deletes = outcomes.subList(0, 3);
            List<String> creates = outcomes.subList(3, 5);
            boolean deleted = deletes.contains("ok");
            assertEquals(deleted, groups.get(g).isEmpty(), "round " + round + ": " + outcomes);
            assertTrue(deletes.stream().filter("ok"::equals).count() <= 1, "round " + round + ": " + outcomes);
            for (String d : deletes) {
                assertTrue(List.of("ok", "not-found", "in-use", "conflict").contains(d), "round " + round + ": " + outcomes);
            }
            if (deleted) {
                assertFalse(deletes.contains("in-use"), "a group with devices was deleted, round " + round + ": " + outcomes);
                assertFalse(creates.contains("ok"), "a device in a deleted group, round " + round + ": " + outcomes);
            }
            for (String c : creates) {
                assertTrue(c.equals("ok") || c.equals("invalid:groupId"), "round " + round + ": " + outcomes);
            }
        }
        for (DeviceDTO d : devices.list()) {
            if (d.groupId != null && groups.get(d.groupId).isEmpty()) {
                fail("device " + d.id + " refers to group " + d.groupId + ", which is gone");
            }
        }
    }

    @Test
    void aGroupIsNeverCreatedWithAPolicyWhoseDeleteSucceeded() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String p = policies.create(policy("race-" + run + "-" + round), "test").id;
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                work.add(() -> outcome(() -> policies.delete(p, 1, "test")));
            }
            for (int i = 0; i < 2; i++) {
                String name = "race-" + run + "-" + round + "-" + i;
                work.add(() -> outcome(() -> groups.create(group(name, p), "test")));
            }
            List<String> outcomes = race(work);
            List<String> deletes = outcomes.subList(0, 3);
            List<String> creates = outcomes.subList(3, 5);
            boolean deleted = deletes.contains("ok");
            assertEquals(deleted, policies.get(p).isEmpty(), "round " + round + ": " + outcomes);
            if (deleted) {
                assertFalse(deletes.contains("in-use"), "a policy in use was deleted, round " + round + ": " + outcomes);
                assertFalse(creates.contains("ok"), "a group with a deleted policy, round " + round + ": " + outcomes);
            }
            for (String c : creates) {
                assertTrue(c.equals("ok") || c.equals("invalid:policyIds[0]"), "round " + round + ": " + outcomes);
            }
        }
        for (GroupDTO g : groups.page(null, 500).items) {
            for (String p : g.policyIds == null ? List.<String>of() : g.policyIds) {
                assertTrue(policies.get(p).isPresent(), "group " + g.name + " refers to policy " + p + ", which is gone");
            }
        }
    }

    /** A clock that takes a while, as a loaded server does, so that a check and the write after it are far apart. */
    static final class SlowClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Instant.now();
        }
    }

    /** Runs the work all at once and returns each one's outcome, in order. */
    private List<String> race(List<Callable<String>> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(work.size());
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<String> w : work) {
            futures.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return w.call();
            }));
        }
        List<String> out = new ArrayList<>();
        for (Future<String> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    private static String outcome(Runnable change) {
        try {
            change.run();
            return "ok";
        } catch (NotFoundException e) {
            return "not-found";
        } catch (InUseException e) {
            return "in-use";
        } catch (ConflictException e) {
            return "conflict";
        } catch (InvalidInputException e) {
            return "invalid:" + e.field();
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
    }

    private static GroupDTO group(String name, String policyId) {
        GroupDTO g = new GroupDTO();
        g.name = name;
        g.policyIds = policyId == null ? null : List.of(policyId);
        return g;
    }

    private static DeviceDTO device(String hostname, String groupId) {
        DeviceDTO d = new DeviceDTO();
        d.hostname = hostname;
        d.osFamily = "linux";
        d.timeZone = "UTC";
        d.groupId = groupId;
        return d;
    }

    private static PolicyDTO policy(String name) {
        PolicyDTO p = new PolicyDTO();
        p.name = name;
        p.type = "patch-all";
        p.schedule = new ScheduleDTO();
        p.schedule.frequency = "weekly";
        p.schedule.daysOfWeek = List.of("MONDAY");
        p.schedule.time = "02:30";
        return p;
    }
}
