package io.patchbay.store.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.agent.AgentIdentityDTO;
import io.patchbay.api.agent.EnrollRequestDTO;
import io.patchbay.api.agent.Enrollment;
import io.patchbay.api.agent.EnrollmentDTO;
import io.patchbay.api.agent.EnrollmentRefusedException;
import io.patchbay.api.agent.EnrollmentTokenDTO;
import io.patchbay.api.agent.EnrollmentTokenRequestDTO;
import io.patchbay.api.agent.IssuedEnrollmentTokenDTO;
import io.patchbay.api.dto.DeviceDTO;

/**
 * Enrollment tokens (256-bit random secrets, kept as their SHA-256 only) and the enrollment of machines with them.
 * An enrollment is one transaction: the token's use, the device record, the agent row, the device secret and the audit
 * entries commit together or not at all.
 */
@Component(service = Enrollment.class)
public class StoreEnrollment implements Enrollment {
    private static final Logger LOG = LoggerFactory.getLogger(StoreEnrollment.class);
    static final String TOKEN_PREFIX = "pbe_";
    static final int MAX_USES = 1_000_000;
    private static final String COLUMNS = "id, name, group_id, created_at, created_by, expires_at, max_uses, uses, "
            + "revoked_at, revoked_by, last_used_at";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The same answer for a token that is unknown or revoked: a guesser learns nothing from it. */
    static final String NOT_VALID = "The enrollment token is not valid";

    private final Database db;
    private final Clock clock;
    private final AgentSettings settings;
    private final Documents<DeviceDTO> devices;
    private final StoreCheckIns checkIns;

    private final StoreCredentials credentials;

    @Activate
    public StoreEnrollment(@Reference Database db, @Reference StoreClock clock, @Reference AgentSettings settings,
            @Reference StoreCheckIns checkIns, @Reference StoreCredentials credentials) {
        this.db = db;
        this.credentials = credentials;
        this.checkIns = checkIns;
        this.clock = clock;
        this.settings = settings;
        this.devices = Documents.devices(db, clock).guarded(StoreDevices::groupExists, (c, id) -> {
        });
    }

    @Override
    public IssuedEnrollmentTokenDTO createToken(EnrollmentTokenRequestDTO request, String createdBy) {
        if (request == null) {
            throw new InvalidInputException("body", null, "an enrollment token request is required");
        }
        String name = Check.required("name", request.name, 255).strip();
        String groupId = Check.optional("groupId", request.groupId, 64);
        Instant now = clock.instant();
        if (request.expiresAt == null) {
            throw new InvalidInputException("expiresAt", null, "is required: when the token stops enrolling machines");
        }
        if (!request.expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", request.expiresAt.toString(), "is not in the future");
        }
        if (request.maxUses < 1 || request.maxUses > MAX_USES) {
            throw new InvalidInputException("maxUses", request.maxUses, "must be from 1 to " + MAX_USES);
        }
        String by = createdBy == null || createdBy.isBlank() ? "unknown" : createdBy;
        return db.transaction(c -> {
            if (groupId != null && !Documents.lockIfExists(c, "group", groupId)) {
                throw new NotFoundException("group", groupId);
            }
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            IssuedEnrollmentTokenDTO t = new IssuedEnrollmentTokenDTO();
            t.secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            t.id = UUID.randomUUID().toString();
            t.name = name;
            t.groupId = groupId;
            t.createdAt = now;
            t.createdBy = Check.required("createdBy", by, 255);
            t.expiresAt = request.expiresAt;
            t.maxUses = request.maxUses;
            Rows.update(c, "INSERT INTO pb_enrollment_token (id, secret_sha256, name, group_id, created_at, created_by, "
                    + "expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.id, StoreCredentials.sha256(t.secret),
                    t.name, t.groupId, AgentRows.at(now), t.createdBy, AgentRows.at(t.expiresAt), t.maxUses);
            audit(c, t.createdBy, "create", "enrollment-token", t.id, Rows.json(withoutSecret(t)));
            return t;
        });
    }

    /** The token as listed: an issued token's secret left out. */
    private static EnrollmentTokenDTO withoutSecret(EnrollmentTokenDTO t) {
        return Documents.JSON.convertValue(t, EnrollmentTokenDTO.class);
    }

    @Override
    public List<EnrollmentTokenDTO> tokens() {
        return db.transaction(c -> select(c, "SELECT " + COLUMNS + " FROM pb_enrollment_token "
                + "ORDER BY created_at, id", null));
    }

    @Override
    public EnrollmentTokenDTO revokeToken(String id, String revokedBy) {
        Check.required("id", id, 64);
        String by = revokedBy == null || revokedBy.isBlank() ? "unknown" : revokedBy;
        return db.transaction(c -> {
            int revoked = Rows.update(c, "UPDATE pb_enrollment_token SET revoked_at = ?, revoked_by = ? "
                    + "WHERE id = ? AND revoked_at IS NULL", AgentRows.at(clock.instant()), by, id);
            List<EnrollmentTokenDTO> found = select(c, "SELECT " + COLUMNS + " FROM pb_enrollment_token WHERE id = ?",
                    id);
            if (found.isEmpty()) {
                throw new NotFoundException("enrollment token", id);
            }
            if (revoked > 0) {
                audit(c, by, "revoke", "enrollment-token", id, Rows.json(found.get(0)));
            }
            return found.get(0);
        });
    }

    @Override
    public boolean clearIdentityConflict(String deviceId, String clearedBy) {
        Check.required("deviceId", deviceId, 64);
        return checkIns.clearConflict(deviceId, clearedBy == null || clearedBy.isBlank() ? "unknown" : clearedBy);
    }

    @Override
    public EnrollmentDTO enroll(EnrollRequestDTO request, String from) {
        if (request == null) {
            throw new InvalidInputException("body", null, "an enrollment request is required");
        }
        if (request.token == null || request.token.isBlank() || request.token.length() > 128) {
            throw new EnrollmentRefusedException(NOT_VALID);
        }
        AgentIdentityDTO identity = identity(request.identity);
        String agentVersion = Check.optional("agentVersion", request.agentVersion, 64);
        String hash = StoreCredentials.sha256(request.token.strip());
        Instant now = clock.instant();
        try {
            EnrollmentDTO enrolled = db.transaction(c -> enroll(c, hash, identity, agentVersion, from, now));
            checkIns.forget(enrolled.deviceId);
            // the machine's old secret, revoked with the enrollment, authenticates nothing from now on
            credentials.forgetAll();
            return enrolled;
        } catch (EnrollmentRefusedException e) {
            LOG.info("Enrollment refused from {}: {}", Check.shown(from), e.getMessage());
            throw e;
        }
    }

    private EnrollmentDTO enroll(Connection c, String hash, AgentIdentityDTO identity, String agentVersion,
            String from, Instant now) throws SQLException {
        // one use taken with one conditional update: of two enrollments racing for the last use, one updates nothing
        int taken = Rows.update(c, "UPDATE pb_enrollment_token SET uses = uses + 1, last_used_at = ? "
                + "WHERE secret_sha256 = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses",
                AgentRows.at(now), hash, AgentRows.at(now));
        List<EnrollmentTokenDTO> tokens = select(c, "SELECT " + COLUMNS + " FROM pb_enrollment_token "
                + "WHERE secret_sha256 = ?", hash);
        if (taken == 0) {
            refuse(tokens, now);
        }
        EnrollmentTokenDTO token = tokens.get(0);
        String actor = "enrollment-token:" + token.name;
        List<AgentRows.Agent> same = AgentRows.withHardwareId(c, identity.hardwareId);
        // a record whose device was deleted since is no one's any more
        List<AgentRows.Agent> known = new ArrayList<>();
        for (AgentRows.Agent a : same) {
            if (Documents.lockIfExists(c, "device", a.deviceId)) {
                known.add(a);
            }
        }
        Optional<AgentRows.Agent> active = known.stream().filter(a -> isActive(a, now))
                .max(Comparator.comparing(a -> a.lastSeen));
        EnrollmentDTO result = new EnrollmentDTO();
        result.checkInSeconds = settings.checkInSeconds();
        String deviceId;
        if (active.isEmpty() && !known.isEmpty()) {
            // the same machine again: it keeps its record and history; the one that matches its other ids if several
            AgentRows.Agent kept = known.stream().max(Comparator.comparing((AgentRows.Agent a) -> matches(a.identity,
                    identity)).thenComparing(a -> a.lastSeen == null ? Instant.EPOCH : a.lastSeen)).get();
            deviceId = kept.deviceId;
            result.reenrolled = true;
            AgentRows.upsertIdentity(c, deviceId, identity, agentVersion, now);
            // its sequence starts afresh with the new installation's state
            Rows.update(c, "UPDATE pb_agent SET last_sequence = 0 WHERE device_id = ?", deviceId);
            result.identityConflict = kept.identityConflict;
            audit(c, actor, "enroll", "device", deviceId, Rows.json(enrollDetails(token, from, true, identity)));
        } else {
            DeviceDTO d = new DeviceDTO();
            d.hostname = identity.hostname;
            d.osFamily = identity.osFamily;
            d.osName = identity.osName;
            d.osVersion = identity.osVersion;
            d.architecture = identity.architecture;
            d.timeZone = identity.timeZone;
            d.connection = "unknown";
            d.groupId = token.groupId != null && Documents.lockIfExists(c, "group", token.groupId) ? token.groupId
                    : null;
            deviceId = devices.createIn(c, d, actor).id;
            AgentRows.upsertIdentity(c, deviceId, identity, agentVersion, now);
            audit(c, actor, "enroll", "device", deviceId, Rows.json(enrollDetails(token, from, false, identity)));
            if (active.isPresent()) {
                // a clone: both records stay, each names the other, and neither takes the other's over
                String other = active.get().deviceId;
                String mine = "hardware id '" + identity.hardwareId + "' is also device '" + other
                        + "', which was active when this machine enrolled at " + now;
                String theirs = "hardware id '" + identity.hardwareId + "' was enrolled again as device '" + deviceId
                        + "' at " + now + " while this device was active (a clone, or a reinstall)";
                AgentRows.conflict(c, deviceId, mine);
                AgentRows.conflict(c, other, theirs);
                audit(c, actor, "conflict", "device", deviceId, Rows.json(java.util.Map.of("device", deviceId,
                        "other", other, "hardwareId", identity.hardwareId)));
                result.identityConflict = mine;
                LOG.warn("Identity conflict: {}", mine);
            }
        }
        result.deviceId = deviceId;
        result.secret = StoreCredentials.issueDeviceSecret(c, deviceId, actor, now).secret;
        return result;
    }

    private static java.util.Map<String, Object> enrollDetails(EnrollmentTokenDTO token, String from,
            boolean again, AgentIdentityDTO identity) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("token", token.id);
        m.put("from", from);
        m.put("reenrolled", again);
        m.put("hardwareId", identity.hardwareId);
        m.put("hostname", identity.hostname);
        return m;
    }

    /** How many of the machine's other ids (machine id, serial, host name) a record shares. */
    private static int matches(AgentIdentityDTO stored, AgentIdentityDTO now) {
        int n = 0;
        n += stored.machineId != null && stored.machineId.equals(now.machineId) ? 1 : 0;
        n += stored.serial != null && stored.serial.equals(now.serial) ? 1 : 0;
        n += stored.hostname != null && stored.hostname.equals(now.hostname) ? 1 : 0;
        return n;
    }

    private boolean isActive(AgentRows.Agent a, Instant now) {
        return "online".equals(settings.connection(a.lastSeen, now));
    }

    /** Why a token enrolls nothing: "expired" and "used up" only to someone who holds a real token. */
    private static void refuse(List<EnrollmentTokenDTO> tokens, Instant now) {
        if (tokens.isEmpty() || tokens.get(0).revokedAt != null) {
            throw new EnrollmentRefusedException(NOT_VALID);
        }
        EnrollmentTokenDTO t = tokens.get(0);
        if (!t.expiresAt.isAfter(now)) {
            throw new EnrollmentRefusedException("The enrollment token expired at " + t.expiresAt);
        }
        throw new EnrollmentRefusedException("The enrollment token is used up: it allowed " + t.maxUses
                + " enrollment(s)");
    }

    /** The identity an agent sent, checked field by field. */
    static AgentIdentityDTO identity(AgentIdentityDTO in) {
        if (in == null) {
            throw new InvalidInputException("identity", null, "is required: the machine's hardware id, host name "
                    + "and OS family at least");
        }
        AgentIdentityDTO id = new AgentIdentityDTO();
        id.hardwareId = Check.required("identity.hardwareId", in.hardwareId, 128).strip();
        id.machineId = Check.optional("identity.machineId", in.machineId, 128);
        id.serial = Check.optional("identity.serial", in.serial, 128);
        id.hostname = Check.required("identity.hostname", in.hostname, 253).strip();
        if (!id.hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
            throw new InvalidInputException("identity.hostname", id.hostname, "is not a valid host name");
        }
        id.osFamily = Check.oneOf("identity.osFamily", in.osFamily, StoreDevices.FAMILIES);
        id.osName = Check.optional("identity.osName", in.osName, 200);
        id.osVersion = Check.optional("identity.osVersion", in.osVersion, 100);
        id.architecture = Check.optional("identity.architecture", in.architecture, 32);
        id.timeZone = in.timeZone == null || in.timeZone.isBlank() ? "UTC"
                : Check.required("identity.timeZone", in.timeZone, 64);
        try {
            ZoneId.of(id.timeZone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("identity.timeZone", id.timeZone, "is not an IANA time zone, e.g. "
                    + "Europe/Berlin");
        }
        List<String> addresses = Check.strings("identity.addresses", in.addresses, 32, 45);
        id.addresses = addresses == null ? List.of() : addresses;
        for (int i = 0; i < id.addresses.size(); i++) {
            if (!id.addresses.get(i).matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
                throw new InvalidInputException("identity.addresses[" + i + "]", id.addresses.get(i),
                        "is not an IP address");
            }
        }
        return id;
    }

    private static List<EnrollmentTokenDTO> select(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            List<EnrollmentTokenDTO> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    EnrollmentTokenDTO t = new EnrollmentTokenDTO();
                    t.id = r.getString(1);
                    t.name = r.getString(2);
                    t.groupId = r.getString(3);
                    t.createdAt = AgentRows.instant(r.getTimestamp(4));
                    t.createdBy = r.getString(5);
                    t.expiresAt = AgentRows.instant(r.getTimestamp(6));
                    t.maxUses = r.getInt(7);
                    t.uses = r.getInt(8);
                    t.revokedAt = AgentRows.instant(r.getTimestamp(9));
                    t.revokedBy = r.getString(10);
                    t.lastUsedAt = AgentRows.instant(r.getTimestamp(11));
                    out.add(t);
                }
            }
            return out;
        }
    }

    private void audit(Connection c, String actor, String action, String entity, String id, String details)
            throws SQLException {
        AgentRows.audit(c, clock.instant(), actor, action, entity, id, details);
    }
}
