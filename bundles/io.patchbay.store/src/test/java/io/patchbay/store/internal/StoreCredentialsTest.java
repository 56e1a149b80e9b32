package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.security.CallerDTO;
import io.patchbay.api.security.IssuedCredentialDTO;
import io.patchbay.api.security.Role;

/** Credentials on a real embedded H2 database: only hashes kept, expiry, revocation, the first token once. */
class StoreCredentialsTest {
    @TempDir
    Path dir;

    private Database db;
    private StoreClock clock;
    private StoreCredentials credentials;
    private final Instant start = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void open() throws Exception {
        db = new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> dir);
        clock = new StoreClock();
        at(start);
        credentials = new StoreCredentials(db, clock);
    }

    private void at(Instant now) throws Exception {
        Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theStoreKeepsTheHashOfASecretNeverTheSecret() {
        IssuedCredentialDTO issued = credentials.issueToken("ci", Role.OPERATOR, null, "alice");
        String stored = db.transaction(c -> {
            StringBuilder all = new StringBuilder();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM pb_credential")) {
                while (r.next()) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        all.append(r.getString(i)).append('|');
                    }
                }
            }
            return all.toString();
        });
        assertFalse(stored.contains(issued.secret), stored);
        assertFalse(stored.contains(issued.secret.substring(4)), stored);
        assertTrue(stored.contains(StoreCredentials.sha256(issued.secret)), stored);
        CallerDTO caller = credentials.authenticate(issued.secret).orElseThrow();
        assertEquals("ci", caller.name);
        assertEquals(Role.OPERATOR, caller.role);
        assertTrue(credentials.authenticate(issued.secret + "x").isEmpty());
        assertTrue(credentials.authenticate("pbt_").isEmpty());
        assertTrue(credentials.authenticate("anything else").isEmpty());
    }

    @Test
    void anExpiredOrRevokedTokenAuthenticatesNothing() throws Exception {
        IssuedCredentialDTO hour = credentials.issueToken("hour", Role.READ_ONLY, start.plus(Duration.ofHours(1)),
                "alice");
        IssuedCredentialDTO revoked = credentials.issueToken("revoked", Role.ADMIN, null, "alice");
        assertTrue(credentials.authenticate(hour.secret).isPresent());
        credentials.revokeToken(revoked.id, "alice");
        assertTrue(credentials.authenticate(revoked.secret).isEmpty());
        at(start.plus(Duration.ofHours(1)));
        assertTrue(credentials.authenticate(hour.secret).isEmpty(), "expired at its expiry");
        assertEquals(start, credentials.tokens().stream().filter(t -> t.id.equals(hour.id)).findFirst().orElseThrow()
                .lastUsedAt, "last use kept");
        assertThrows(NotFoundException.class, () -> credentials.revokeToken("no-such-token", "alice"));
        InvalidInputException past = assertThrows(InvalidInputException.class,
                () -> credentials.issueToken("past", Role.READ_ONLY, start, "alice"));
        assertEquals("expiresAt", past.field());
        assertEquals("role", assertThrows(InvalidInputException.class,
                () -> credentials.issueToken("device", Role.DEVICE, null, "alice")).field());
    }

    @Test
    void aRevocationCountsAtOnceThoughCredentialsAreCachedAndLastUseIsWrittenInBatches() throws Exception {
        IssuedCredentialDTO ci = credentials.issueToken("cached", Role.OPERATOR, null, "alice");
        assertTrue(credentials.authenticate(ci.secret).isPresent());
        credentials.flushLastUses();
        String stored = db.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT last_used_at FROM pb_credential WHERE id = '" + ci.id + "'")) {
                r.next();
                return String.valueOf(r.getTimestamp(1));
            }
        });
        assertFalse(stored.equals("null"), "the batch wrote the last use");
        assertTrue(credentials.authenticate(ci.secret).isPresent(), "from the cache");
        credentials.revokeToken(ci.id, "alice");
        assertTrue(credentials.authenticate(ci.secret).isEmpty(), "revoked on this node: at once");
    }

    @Test
    void theFirstAdminTokenIsIssuedOnceInTheLifeOfTheStore() {
        IssuedCredentialDTO first = credentials.issueFirstAdminToken().orElseThrow();
        assertEquals(Role.ADMIN, first.role);
        assertTrue(credentials.authenticate(first.secret).isPresent());
        credentials.revokeToken(first.id, "alice");
        assertTrue(credentials.issueFirstAdminToken().isEmpty(), "not again, even once it was revoked");
    }

    @Test
    void aDeviceSecretNeedsTheDeviceAndRotates() {
        assertThrows(NotFoundException.class, () -> credentials.issueDeviceSecret("no-such-device", "alice"));
        db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO pb_document (kind, id, version, body, created_at, updated_at) VALUES "
                        + "('device', 'd1', 1, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
            return null;
        });
        IssuedCredentialDTO one = credentials.issueDeviceSecret("d1", "alice");
        CallerDTO agent = credentials.authenticate(one.secret).orElseThrow();
        assertEquals(Role.DEVICE, agent.role);
        assertEquals("d1", agent.deviceId);
        IssuedCredentialDTO two = credentials.issueDeviceSecret("d1", "alice");
        assertTrue(credentials.authenticate(one.secret).isEmpty(), "rotated");
        assertTrue(credentials.authenticate(two.secret).isPresent());
        assertEquals(1, credentials.revokeDeviceSecrets("d1", "alice"));
        assertTrue(credentials.authenticate(two.secret).isEmpty());
        assertEquals(2, credentials.deviceSecrets("d1").size());
        assertTrue(credentials.tokens().isEmpty(), "device secrets are not API tokens");
    }

    @Test
    void aTokenNameIsUniqueAmongLiveTokensBecauseItIsTheAuditActor() {
        IssuedCredentialDTO first = credentials.issueToken("ci", Role.OPERATOR, null, "alice");
        io.patchbay.api.InUseException e = assertThrows(io.patchbay.api.InUseException.class,
                () -> credentials.issueToken(" ci ", Role.READ_ONLY, null, "alice"));
        assertTrue(e.getMessage().contains("'ci'"), e.getMessage());
        credentials.revokeToken(first.id, "alice");
        assertEquals("ci", credentials.issueToken("ci", Role.READ_ONLY, null, "alice").name);
    }

    @Test
    void namesStartingWithDeviceAreReservedForDeviceSecrets() {
        assertEquals("name", assertThrows(InvalidInputException.class,
                () -> credentials.issueToken("device:d1", Role.OPERATOR, null, "alice")).field());
    }
}
