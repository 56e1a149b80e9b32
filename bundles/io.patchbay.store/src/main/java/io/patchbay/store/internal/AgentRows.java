package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.patchbay.api.agent.AgentIdentityDTO;
import io.patchbay.api.dto.DeviceDTO;

/** The rows of {@code pb_agent}: what a device's agent told the server about its machine. */
final class AgentRows {
    static final String COLUMNS = "device_id, hardware_id, machine_id, serial, hostname, os_family, os_name, "
            + "os_version, architecture, time_zone, addresses, agent_version, boot_time, enrolled_at, last_seen_at, "
            + "last_sequence, identity_conflict";

    /** One device's agent as stored. */
    static final class Agent {
        String deviceId;
        AgentIdentityDTO identity = new AgentIdentityDTO();
        String agentVersion;
        Instant bootTime;
        Instant enrolledAt;
        Instant lastSeen;
        long lastSequence;
        String identityConflict;
    }

    private AgentRows() {
    }

    static Optional<Agent> get(Connection c, String deviceId) throws SQLException {
        List<Agent> found = select(c, "SELECT " + COLUMNS + " FROM pb_agent WHERE device_id = ?", deviceId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The agents of every device, by device id; for listing devices, which reads every device anyway. */
    static Map<String, Agent> all(Connection c) throws SQLException {
        Map<String, Agent> all = new HashMap<>();
        for (Agent a : select(c, "SELECT " + COLUMNS + " FROM pb_agent", null)) {
            all.put(a.deviceId, a);
        }
        return all;
    }

    static Map<String, Agent> of(Connection c, List<String> deviceIds) throws SQLException {
        Map<String, Agent> found = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM pb_agent WHERE device_id IN ("
                + String.join(", ", java.util.Collections.nCopies(deviceIds.size(), "?")) + ")")) {
            for (int i = 0; i < deviceIds.size(); i++) {
                s.setString(i + 1, deviceIds.get(i));
            }
            for (Agent a : read(s)) {
                found.put(a.deviceId, a);
            }
        }
        return found;
    }

    static List<Agent> withHardwareId(Connection c, String hardwareId) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM pb_agent WHERE hardware_id = ? ORDER BY device_id",
                hardwareId);
    }

    private static List<Agent> select(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            return read(s);
        }
    }

    private static List<Agent> read(PreparedStatement s) throws SQLException {
        {
            List<Agent> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Agent a = new Agent();
                    a.deviceId = r.getString(1);
                    a.identity.hardwareId = r.getString(2);
                    a.identity.machineId = r.getString(3);
                    a.identity.serial = r.getString(4);
                    a.identity.hostname = r.getString(5);
                    a.identity.osFamily = r.getString(6);
                    a.identity.osName = r.getString(7);
                    a.identity.osVersion = r.getString(8);
                    a.identity.architecture = r.getString(9);
                    a.identity.timeZone = r.getString(10);
                    String addresses = r.getString(11);
                    a.identity.addresses = addresses == null || addresses.isEmpty() ? List.of()
                            : List.of(addresses.split(","));
                    a.agentVersion = r.getString(12);
                    a.bootTime = instant(r.getTimestamp(13));
                    a.enrolledAt = instant(r.getTimestamp(14));
                    a.lastSeen = instant(r.getTimestamp(15));
                    a.lastSequence = r.getLong(16);
                    a.identityConflict = r.getString(17);
                    out.add(a);
                }
            }
            return out;
        }
    }

    /** Writes an agent's identity and inventory (insert or replace), leaving last-seen and sequence as they are. */
    static void upsertIdentity(Connection c, String deviceId, AgentIdentityDTO id, String agentVersion,
            Instant enrolledAt) throws SQLException {
        int updated = Rows.update(c, "UPDATE pb_agent SET hardware_id = ?, machine_id = ?, serial = ?, hostname = ?, "
                + "os_family = ?, os_name = ?, os_version = ?, architecture = ?, time_zone = ?, addresses = ?, "
                + "agent_version = ?, enrolled_at = ? WHERE device_id = ?", id.hardwareId, id.machineId, id.serial,
                id.hostname, id.osFamily, id.osName, id.osVersion, id.architecture, id.timeZone, addresses(id),
                agentVersion, at(enrolledAt), deviceId);
        if (updated == 0) {
            Rows.update(c, "INSERT INTO pb_agent (device_id, hardware_id, machine_id, serial, hostname, os_family, "
                    + "os_name, os_version, architecture, time_zone, addresses, agent_version, enrolled_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", deviceId, id.hardwareId, id.machineId,
                    id.serial, id.hostname, id.osFamily, id.osName, id.osVersion, id.architecture, id.timeZone,
                    addresses(id), agentVersion, at(enrolledAt));
        }
    }

    static void conflict(Connection c, String deviceId, String conflict) throws SQLException {
        Rows.update(c, "UPDATE pb_agent SET identity_conflict = ? WHERE device_id = ?", conflict, deviceId);
    }

    static String addresses(AgentIdentityDTO id) {
        return id.addresses == null || id.addresses.isEmpty() ? null : String.join(",", id.addresses);
    }

    /** What the agent knows of its machine, over what the device document says. */
    static DeviceDTO overlay(DeviceDTO d, Agent a, AgentSettings settings, Instant now) {
        if (a == null) {
            return d;
        }
        AgentIdentityDTO id = a.identity;
        d.hostname = id.hostname == null ? d.hostname : id.hostname;
        d.osFamily = id.osFamily == null ? d.osFamily : id.osFamily;
        d.osName = id.osName == null ? d.osName : id.osName;
        d.osVersion = id.osVersion == null ? d.osVersion : id.osVersion;
        d.architecture = id.architecture == null ? d.architecture : id.architecture;
        d.timeZone = id.timeZone == null ? d.timeZone : id.timeZone;
        d.hardwareId = id.hardwareId;
        d.serial = id.serial;
        d.agentVersion = a.agentVersion;
        d.bootTime = a.bootTime;
        d.enrolledAt = a.enrolledAt;
        d.identityConflict = a.identityConflict;
        d.lastCheckIn = a.lastSeen;
        d.connection = settings.connection(a.lastSeen, now);
        return d;
    }

    static void audit(Connection c, Instant at, String actor, String action, String entity, String id,
            String details) throws SQLException {
        Rows.update(c, "INSERT INTO pb_audit (at, actor, action, entity, entity_id, after_body) "
                + "VALUES (?, ?, ?, ?, ?, ?)", at(at), actor, action, entity, id, details);
    }

    static Timestamp at(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
