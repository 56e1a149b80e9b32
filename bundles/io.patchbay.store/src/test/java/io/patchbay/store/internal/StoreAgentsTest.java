package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.agent.AgentIdentityDTO;
import io.patchbay.api.agent.CheckInDTO;
import io.patchbay.api.agent.CheckInReplyDTO;
import io.patchbay.api.agent.EnrollRequestDTO;
import io.patchbay.api.agent.EnrollmentDTO;
import io.patchbay.api.agent.EnrollmentRefusedException;
import io.patchbay.api.agent.EnrollmentTokenRequestDTO;
import io.patchbay.api.agent.IdentityConflictException;
import io.patchbay.api.agent.IssuedEnrollmentTokenDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.security.Role;

/**
 * Enrollment and check-ins on a real database: embedded H2, or PostgreSQL when PATCHBAY_TEST_POSTGRES_URL is set.
 * Token uses are taken atomically, a machine enrolling again keeps its record, a clone gets its own, and the check-in
 * sequence rule tells a retry or a restart from a copy of the agent's state.
 */
class StoreAgentsTest {
    @TempDir
    Path dir;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private Database db;
    private StoreClock clock;
    private StoreEnrollment enrollment;
    private StoreCheckIns checkIns;
    private StoreCredentials credentials;
    private StoreDevices devices;
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void open() throws Exception {
        String postgres = System.getenv("PATCHBAY_TEST_POSTGRES_URL");
        Database.Config config = postgres == null || postgres.isBlank() ? DatabaseTest.config(10)
                : DatabaseTest.config(Map.of("url", postgres, "user", env("PATCHBAY_TEST_POSTGRES_USER", "patchbay"),
                        "_password", env("PATCHBAY_TEST_POSTGRES_PASSWORD", "patchbay"), "maxPoolSize", 10));
        db = new Database(new DatabaseTest().context(), config, () -> dir);
        clock = new StoreClock();
        at(now);
        AgentSettings settings = new AgentSettings(Map.of(AgentSettings.CHECK_IN, "60"));
        checkIns = new StoreCheckIns(db, clock, settings);
        credentials = new StoreCredentials(db, clock);
        enrollment = new StoreEnrollment(db, clock, settings, checkIns, credentials);
        devices = new StoreDevices(db, clock, settings);
    }

    @AfterEach
    void close() {
        checkIns.stop();
        credentials.stop();
        db.close();
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null ? otherwise : value;
    }

    private void at(Instant t) throws Exception {
        now = t;
        Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, Clock.fixed(t, ZoneOffset.UTC));
    }

    private IssuedEnrollmentTokenDTO token(int uses) {
        EnrollmentTokenRequestDTO r = new EnrollmentTokenRequestDTO();
        r.name = "laptops-" + run;
        r.expiresAt = now.plus(Duration.ofDays(1));
        r.maxUses = uses;
        return enrollment.createToken(r, "alice");
    }

    private EnrollRequestDTO request(String token, String hardwareId, String serial) {
        EnrollRequestDTO r = new EnrollRequestDTO();
        r.token = token;
        r.agentVersion = "0.1.0";
        r.identity = new AgentIdentityDTO();
        r.identity.hardwareId = hardwareId;
        r.identity.serial = serial;
        r.identity.machineId = "m-" + serial;
        r.identity.hostname = "host-" + serial;
        r.identity.osFamily = "linux";
        r.identity.osName = "debian";
        r.identity.timeZone = "Europe/Berlin";
        r.identity.addresses = List.of("10.0.0.1");
        return r;
    }

    private CheckInDTO checkIn(long sequence, Instant boot) {
        CheckInDTO c = new CheckInDTO();
        c.sequence = sequence;
        c.bootTime = boot;
        c.agentVersion = "0.1.1";
        return c;
    }

    @Test
    void twoAgentsRacingForTheLastUseOneWins() throws Exception {
        IssuedEnrollmentTokenDTO token = token(5);
        int racers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String hw = "hw-race-" + run + "-" + i;
            results.add(pool.submit(() -> {
                go.await();
                try {
                    enrollment.enroll(request(token.secret, hw, "s" + hw), "127.0.0.1");
                    return true;
                } catch (EnrollmentRefusedException e) {
                    assertTrue(e.getMessage().contains("used up"), e.getMessage());
                    return false;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : results) {
            won += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(5, won);
        assertEquals(5, enrollment.tokens().stream().filter(t -> t.id.equals(token.id)).findFirst().get().uses);
    }

    @Test
    void aWrongExpiredOrRevokedTokenIsRefused() throws Exception {
        IssuedEnrollmentTokenDTO token = token(10);
        String audited = db.transaction(c -> {
            try (java.sql.PreparedStatement s = c.prepareStatement("SELECT after_body FROM pb_audit "
                    + "WHERE entity = 'enrollment-token' AND entity_id = ?")) {
                s.setString(1, token.id);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        });
        assertTrue(audited.contains(token.id) && !audited.contains(token.secret), audited);
        String hw = "hw-" + run;
        assertEquals(StoreEnrollment.NOT_VALID, assertThrows(EnrollmentRefusedException.class,
                () -> enrollment.enroll(request(token.secret + "x", hw, "1"), "a")).getMessage());
        at(now.plus(Duration.ofDays(2)));
        assertTrue(assertThrows(EnrollmentRefusedException.class,
                () -> enrollment.enroll(request(token.secret, hw, "1"), "a")).getMessage().contains("expired"));
        IssuedEnrollmentTokenDTO other = token(10);
        enrollment.revokeToken(other.id, "alice");
        assertEquals(StoreEnrollment.NOT_VALID, assertThrows(EnrollmentRefusedException.class,
                () -> enrollment.enroll(request(other.secret, hw, "1"), "a")).getMessage());
        assertEquals(0, enrollment.tokens().stream().filter(t -> t.id.equals(other.id)).findFirst().get().uses);
        EnrollRequestDTO noHardware = request(other.secret, " ", "1");
        assertEquals("identity.hardwareId", assertThrows(InvalidInputException.class,
                () -> enrollment.enroll(noHardware, "a")).field());
    }

    @Test
    void theSameMachineEnrollingAgainKeepsItsRecordAndGetsANewSecret() throws Exception {
        IssuedEnrollmentTokenDTO token = token(10);
        String hw = "hw-" + run;
        EnrollmentDTO first = enrollment.enroll(request(token.secret, hw, "A"), "a");
        assertFalse(first.reenrolled);
        assertEquals(Role.DEVICE, credentials.authenticate(first.secret).orElseThrow().role);
        checkIns.checkIn(first.deviceId, checkIn(1, now.minusSeconds(100)));
        checkIns.flush();
        // offline for long: its state folder was wiped, it enrolls again
        at(now.plus(Duration.ofHours(2)));
        EnrollmentDTO again = enrollment.enroll(request(token.secret, hw, "A"), "a");
        assertTrue(again.reenrolled);
        assertEquals(first.deviceId, again.deviceId);
        assertNull(again.identityConflict);
        assertTrue(credentials.authenticate(first.secret).isEmpty(), "the old secret is revoked");
        assertTrue(credentials.authenticate(again.secret).isPresent());
        // the new installation counts from 1 again
        CheckInReplyDTO reply = checkIns.checkIn(again.deviceId, checkIn(1, now.minusSeconds(50)));
        assertEquals(60, reply.checkInSeconds);
        checkIns.flush();
        DeviceDTO d = devices.get(first.deviceId).orElseThrow();
        assertEquals("online", d.connection);
        assertEquals(hw, d.hardwareId);
        assertEquals("0.1.1", d.agentVersion);
        assertEquals(now, d.lastCheckIn);
    }

    @Test
    void aCloneEnrollingWhileTheOriginalIsActiveGetsItsOwnRecordAndBothAreFlagged() throws Exception {
        IssuedEnrollmentTokenDTO token = token(10);
        String hw = "hw-" + run;
        EnrollmentDTO original = enrollment.enroll(request(token.secret, hw, "A"), "a");
        checkIns.checkIn(original.deviceId, checkIn(1, now.minusSeconds(100)));
        checkIns.flush();
        EnrollmentDTO clone = enrollment.enroll(request(token.secret, hw, "B"), "b");
        assertNotEquals(original.deviceId, clone.deviceId);
        assertFalse(clone.reenrolled);
        assertTrue(clone.identityConflict.contains(original.deviceId), clone.identityConflict);
        assertTrue(devices.get(original.deviceId).orElseThrow().identityConflict.contains(clone.deviceId));
        assertTrue(credentials.authenticate(original.secret).isPresent(), "the original keeps its secret");
        // the original enrolling again while the clone is active does not take the clone's record either
        checkIns.checkIn(clone.deviceId, checkIn(1, now.minusSeconds(10)));
        checkIns.flush();
        EnrollmentDTO third = enrollment.enroll(request(token.secret, hw, "A"), "a");
        assertNotEquals(original.deviceId, third.deviceId);
        assertNotEquals(clone.deviceId, third.deviceId);
        assertTrue(credentials.authenticate(clone.secret).isPresent());
        assertTrue(checkIns.clearConflict(original.deviceId, "alice"));
        assertNull(devices.get(original.deviceId).orElseThrow().identityConflict);
    }

    @Test
    void theSequenceRuleTellsARetryOrARestartFromACopy() throws Exception {
        IssuedEnrollmentTokenDTO token = token(1);
        EnrollmentDTO e = enrollment.enroll(request(token.secret, "hw-" + run, "A"), "a");
        Instant boot = now.minusSeconds(500);
        checkIns.checkIn(e.deviceId, checkIn(1, boot));
        checkIns.checkIn(e.deviceId, checkIn(1, boot));
        checkIns.checkIn(e.deviceId, checkIn(2, boot));
        // the agent restarted, the machine rebooted: it counts on
        checkIns.checkIn(e.deviceId, checkIn(3, now.minusSeconds(5)));
        checkIns.flush();
        // a server restart (a new StoreCheckIns reads the store) is no false alarm
        StoreCheckIns restarted = new StoreCheckIns(db, clock, new AgentSettings(Map.of()));
        try {
            restarted.checkIn(e.deviceId, checkIn(4, now.minusSeconds(5)));
            // a copy of the disk with the state of check-in 2 booted elsewhere
            IdentityConflictException conflict = assertThrows(IdentityConflictException.class,
                    () -> restarted.checkIn(e.deviceId, checkIn(3, now.minusSeconds(60))));
            assertTrue(conflict.getMessage().contains("seen before"), conflict.getMessage());
            assertThrows(IdentityConflictException.class,
                    () -> restarted.checkIn(e.deviceId, checkIn(4, now.minusSeconds(60))));
        } finally {
            restarted.stop();
        }
        assertNotNull(devices.get(e.deviceId).orElseThrow().identityConflict);
    }

    @Test
    void connectionStatusFollowsTheIntervalAndBuffer() throws Exception {
        IssuedEnrollmentTokenDTO token = token(1);
        EnrollmentDTO e = enrollment.enroll(request(token.secret, "hw-" + run, "A"), "a");
        assertEquals("unknown", devices.get(e.deviceId).orElseThrow().connection);
        checkIns.checkIn(e.deviceId, checkIn(1, now));
        checkIns.flush();
        // interval 60 s, jitter 6 s, buffer 66 s
        at(now.plusSeconds(125));
        assertEquals("online", devices.get(e.deviceId).orElseThrow().connection);
        at(now.plusSeconds(2));
        assertEquals("offline", devices.get(e.deviceId).orElseThrow().connection);
        assertEquals("offline", devices.list().stream().filter(d -> d.id.equals(e.deviceId)).findFirst()
                .orElseThrow().connection);
    }
}
