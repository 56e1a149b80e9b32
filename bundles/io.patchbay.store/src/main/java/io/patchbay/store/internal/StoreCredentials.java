package io.patchbay.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.security.CallerDTO;
import io.patchbay.api.security.CredentialDTO;
import io.patchbay.api.security.Credentials;
import io.patchbay.api.security.IssuedCredentialDTO;
import io.patchbay.api.security.Role;

/** API tokens and device secrets in the store, kept as the SHA-256 of the secret only. */
@Component(service = { Credentials.class, StoreCredentials.class })
public class StoreCredentials implements Credentials {
    static final String TOKEN_PREFIX = "pbt_";
    static final String DEVICE_PREFIX = "pbd_";
    static final String FIRST_ADMIN = "first-admin";
    /** Last use is written at most this often per credential, so that reads do not each cost a write. */
    static final Duration LAST_USE_STEP = Duration.ofMinutes(1);
    private static final String COLUMNS = "id, name, role, device_id, created_at, created_by, expires_at, "
            + "last_used_at, revoked_at";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A credential in force as read from the store, trusted for {@link #CACHE_FOR}. */
    private static final class Cached {
        final CallerDTO caller;
        final String id;
        final Instant expiresAt;
        final long readAt;
        volatile Instant lastUse;

        Cached(CallerDTO caller, String id, Instant expiresAt, long readAt, Instant lastUse) {
            this.caller = caller;
            this.id = id;
            this.expiresAt = expiresAt;
            this.readAt = readAt;
            this.lastUse = lastUse;
        }
    }

    /**
     * How long a credential read from the store is trusted without reading it again: a revocation made on another
     * server node (or a device deleted) counts on this one within this time; one made on this node counts at once.
     */
    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final int MAX_CACHED = 500_000;
    private static final Logger LOG = LoggerFactory.getLogger(StoreCredentials.class);

    private final Database db;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUses = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "patchbay-credential-use-writer");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public StoreCredentials(@Reference Database db, @Reference StoreClock clock) {
        this.db = db;
        this.clock = clock;
        writer.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public IssuedCredentialDTO issueToken(String name, Role role, Instant expiresAt, String issuedBy) {
        Check.required("name", name, 255);
        if (name.strip().startsWith("device:")) {
            throw new InvalidInputException("name", name.strip(), "names starting with 'device:' are reserved for "
                    + "device secrets");
        }
        if (role == null || role == Role.DEVICE) {
            throw new InvalidInputException("role", role == null ? null : role.name(),
                    "must be one of ADMIN, OPERATOR, READ_ONLY");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", expiresAt.toString(), "is not in the future");
        }
        return db.transaction(c -> {
            // a token's name is its actor in the audit log, so two live tokens with one name would blur who did what
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM pb_credential WHERE device_id IS NULL "
                    + "AND revoked_at IS NULL AND name = ?")) {
                s.setString(1, name.strip());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        throw new InUseException("name: a token named '" + name.strip() + "' exists already (id "
                                + r.getString(1) + "); revoke it first or choose another name");
                    }
                }
            }
            return insert(c, TOKEN_PREFIX, name.strip(), role, null, issuedBy, expiresAt, now);
        });
    }

    @Override
    public List<CredentialDTO> tokens() {
        flushQuietly();
        return db.transaction(c -> select(c, "SELECT " + COLUMNS + " FROM pb_credential WHERE device_id IS NULL "
                + "ORDER BY created_at, id", null));
    }

    @Override
    public CredentialDTO revokeToken(String id, String revokedBy) {
        Check.required("id", id, 64);
        try {
            return revoke(id);
        } finally {
            forgetAll();
        }
    }

    private CredentialDTO revoke(String id) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE pb_credential SET revoked_at = ? "
                    + "WHERE id = ? AND device_id IS NULL AND revoked_at IS NULL")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, id);
                s.executeUpdate();
            }
            List<CredentialDTO> found = select(c, "SELECT " + COLUMNS + " FROM pb_credential WHERE id = ? "
                    + "AND device_id IS NULL", id);
            if (found.isEmpty()) {
                throw new NotFoundException("token", id);
            }
            return found.get(0);
        });
    }

    @Override
    public IssuedCredentialDTO issueDeviceSecret(String deviceId, String issuedBy) {
        Check.required("deviceId", deviceId, 64);
        Instant now = clock.instant();
        try {
            return db.transaction(c -> {
                if (!deviceExists(c, deviceId)) {
                    throw new NotFoundException("device", deviceId);
                }
                return issueDeviceSecret(c, deviceId, issuedBy, now);
            });
        } finally {
            forgetAll();
        }
    }

    @Override
    public List<CredentialDTO> deviceSecrets(String deviceId) {
        Check.required("deviceId", deviceId, 64);
        flushQuietly();
        return db.transaction(c -> select(c, "SELECT " + COLUMNS + " FROM pb_credential WHERE device_id = ? "
                + "ORDER BY created_at, id", deviceId));
    }

    @Override
    public int revokeDeviceSecrets(String deviceId, String revokedBy) {
        Check.required("deviceId", deviceId, 64);
        try {
            return db.transaction(c -> revokeDevice(c, deviceId, clock.instant()));
        } finally {
            forgetAll();
        }
    }

    @Override
    public Optional<CallerDTO> authenticate(String secret) {
        if (secret == null || !(secret.startsWith(TOKEN_PREFIX) || secret.startsWith(DEVICE_PREFIX))
                || secret.length() > 128) {
            return Optional.empty();
        }
        String hash = sha256(secret);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached == null || System.nanoTime() - cached.readAt > CACHE_FOR.toNanos()) {
            Optional<Cached> read = db.transaction(c -> {
                CredentialDTO found;
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM pb_credential "
                        + "WHERE secret_sha256 = ?")) {
                    s.setString(1, hash);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            return Optional.empty();
                        }
                        found = row(r);
                    }
                }
                if (found.revokedAt != null || found.deviceId != null && !deviceExists(c, found.deviceId)) {
                    return Optional.empty();
                }
                CallerDTO caller = new CallerDTO();
                caller.name = found.name;
                caller.role = found.role;
                caller.deviceId = found.deviceId;
                return Optional.of(new Cached(caller, found.id, found.expiresAt, System.nanoTime(),
                        found.lastUsedAt));
            });
            if (read.isEmpty()) {
                cache.remove(hash);
                return Optional.empty();
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cached = read.get();
            cache.put(hash, cached);
        }
        if (cached.expiresAt != null && !cached.expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        if (cached.lastUse == null || cached.lastUse.plus(LAST_USE_STEP).isBefore(now)) {
            // written by the next batch; a kill loses at most that second's last-use times
            cached.lastUse = now.truncatedTo(ChronoUnit.SECONDS);
            lastUses.put(cached.id, cached.lastUse);
        }
        CallerDTO copy = new CallerDTO();
        copy.name = cached.caller.name;
        copy.role = cached.caller.role;
        copy.deviceId = cached.caller.deviceId;
        return Optional.of(copy);
    }

    /** Forgets every credential this node has read, so a revocation made here counts at once. */
    void forgetAll() {
        cache.clear();
    }

    private void flushQuietly() {
        try {
            flushLastUses();
        } catch (RuntimeException e) {
            LOG.debug("Last uses of credentials could not be written now: {}", e.toString());
        }
    }

    /** Writes the last uses noted since the last batch, as one batch statement. */
    void flushLastUses() {
        if (lastUses.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>();
        for (String id : List.copyOf(lastUses.keySet())) {
            Instant at = lastUses.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE pb_credential SET last_used_at = ? WHERE id = ? "
                    + "AND (last_used_at IS NULL OR last_used_at < ?)")) {
                for (Map.Entry<String, Instant> e : batch.entrySet()) {
                    s.setTimestamp(1, Timestamp.from(e.getValue()));
                    s.setString(2, e.getKey());
                    s.setTimestamp(3, Timestamp.from(e.getValue()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Deactivate
    void stop() {
        writer.shutdown();
        flushQuietly();
    }

    @Override
    public Optional<IssuedCredentialDTO> issueFirstAdminToken() {
        Instant now = clock.instant();
        try {
            return db.transaction(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pb_credential_bootstrap")) {
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        if (r.getInt(1) > 0) {
                            return Optional.empty();
                        }
                    }
                }
                // the primary key makes a second server's insert fail, and its whole transaction with it
                try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_credential_bootstrap (id, created_at) "
                        + "VALUES (1, ?)")) {
                    s.setTimestamp(1, Timestamp.from(now));
                    s.executeUpdate();
                }
                return Optional.of(insert(c, TOKEN_PREFIX, FIRST_ADMIN, Role.ADMIN, null, "patchbay", null, now));
            });
        } catch (Database.StoreException e) {
            if (e.isUniqueViolation()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static int revokeDevice(Connection c, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE pb_credential SET revoked_at = ? "
                + "WHERE device_id = ? AND revoked_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, deviceId);
            return s.executeUpdate();
        }
    }

    private static boolean deviceExists(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pb_document WHERE kind = 'device' AND id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** A new secret for a device, its old ones revoked, in the caller's transaction. */
    static IssuedCredentialDTO issueDeviceSecret(Connection c, String deviceId, String issuedBy, Instant now)
            throws SQLException {
        revokeDevice(c, deviceId, now);
        return insert(c, DEVICE_PREFIX, "device:" + deviceId, Role.DEVICE, deviceId, issuedBy, null, now);
    }

    private static IssuedCredentialDTO insert(Connection c, String prefix, String name, Role role, String deviceId,
            String issuedBy, Instant expiresAt, Instant now) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        IssuedCredentialDTO issued = new IssuedCredentialDTO();
        issued.secret = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        issued.id = UUID.randomUUID().toString();
        issued.name = name;
        issued.role = role;
        issued.deviceId = deviceId;
        issued.createdAt = now;
        issued.createdBy = issuedBy == null || issuedBy.isBlank() ? "unknown" : issuedBy;
        issued.expiresAt = expiresAt;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_credential (id, secret_sha256, name, role, "
                + "device_id, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, issued.id);
            s.setString(2, sha256(issued.secret));
            s.setString(3, name);
            s.setString(4, role.name());
            s.setString(5, deviceId);
            s.setTimestamp(6, Timestamp.from(now));
            s.setString(7, Check.required("createdBy", issued.createdBy, 255));
            s.setTimestamp(8, expiresAt == null ? null : Timestamp.from(expiresAt));
            s.executeUpdate();
        }
        return issued;
    }

    private static List<CredentialDTO> select(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            List<CredentialDTO> all = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    all.add(row(r));
                }
            }
            return all;
        }
    }

    private static CredentialDTO row(ResultSet r) throws SQLException {
        CredentialDTO d = new CredentialDTO();
        d.id = r.getString(1);
        d.name = r.getString(2);
        d.role = Role.valueOf(r.getString(3));
        d.deviceId = r.getString(4);
        d.createdAt = instant(r.getTimestamp(5));
        d.createdBy = r.getString(6);
        d.expiresAt = instant(r.getTimestamp(7));
        d.lastUsedAt = instant(r.getTimestamp(8));
        d.revokedAt = instant(r.getTimestamp(9));
        return d;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
