package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.BlockList;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.agent.AgentIdentityDTO;
import io.patchbay.api.agent.CheckInDTO;
import io.patchbay.api.agent.CheckInReplyDTO;
import io.patchbay.api.agent.CheckIns;
import io.patchbay.api.agent.IdentityConflictException;
import io.patchbay.api.agent.SourceBundles;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;

/**
 * Agents' check-ins, cheap by design: what the server knows of each checking-in agent (its last sequence, boot time and
 * inventory) is kept in memory once read, a check-in costs one indexed count of the device's due jobs, and what it
 * changes (last-seen time, sequence, inventory, agent version, boot time) is written by a flusher thread once a second,
 * for every device that checked in, as one batch statement.
 * <p>
 * What a {@code kill -9} can lose: the writes of the last batch not yet flushed (at most about a second of check-ins).
 * Their devices show the previous last-seen time until they check in again. Losing a sequence only leaves the stored
 * one lower than the agent's, which the sequence rule accepts, so a crash never makes an agent look like a clone.
 * <p>
 * The sequence rule ({@link CheckInDTO#sequence}): every agent installation counts its check-ins in its state folder.
 * A check-in is accepted when its sequence is higher than the last one seen for the device, or equal to it with the
 * same boot time (the same request sent again after a lost answer). A sequence at or below one already seen from
 * another boot is a second machine running a copy of the agent's state (a cloned disk): it is refused with 409 and
 * the device flagged. An agent restarted, or a machine rebooted, keeps counting up from its state folder, so neither
 * is taken for a clone; a re-enrolled agent starts afresh (the enrollment resets the stored sequence).
 */
@Component(service = { CheckIns.class, StoreCheckIns.class })
public class StoreCheckIns implements CheckIns {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCheckIns.class);
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    /** What another node may have changed (a re-enrollment, a cleared conflict) is read again after this long. */
    static final Duration REREAD_AFTER = Duration.ofSeconds(30);
    static final Duration BLOCK_LIST_FOR = Duration.ofSeconds(2);

    /** The last check-in accepted for a device, as this node knows it. */
    private static final class Seen {
        long sequence;
        Instant bootTime;
        String hardwareId;
        String conflict;
        String osFamily;
        AgentIdentityDTO identity;
        String agentVersion;
        Instant enrolledAt;
        long readAt;
    }

    /** What the next batch writes for a device. */
    private record Write(Instant lastSeen, long sequence, AgentIdentityDTO identity, String agentVersion,
            Instant bootTime, Instant enrolledAt) {
    }

    private final Database db;
    private final Clock clock;
    private final AgentSettings settings;
    private final Documents<DeviceDTO> devices;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Write> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "patchbay-check-in-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile List<BlockRuleDTO> blockRules;
    private volatile long blockRulesReadAt;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SourceBundles sourceBundles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;

    @Activate
    public StoreCheckIns(@Reference Database db, @Reference StoreClock clock, @Reference AgentSettings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.devices = Documents.devices(db, clock);
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // SIGTERM stops the framework in order: what was acknowledged is written before the store closes
        flushQuietly();
    }

    @Override
    public CheckInReplyDTO checkIn(String deviceId, CheckInDTO checkIn) {
        Check.required("deviceId", deviceId, 64);
        if (checkIn == null) {
            throw new InvalidInputException("body", null, "a check-in is required");
        }
        if (checkIn.sequence < 1) {
            throw new InvalidInputException("sequence", checkIn.sequence, "must be 1 or more");
        }
        AgentIdentityDTO identity = checkIn.identity == null ? null : StoreEnrollment.identity(checkIn.identity);
        String agentVersion = Check.optional("agentVersion", checkIn.agentVersion, 64);
        Instant now = clock.instant();
        if (checkIn.bootTime != null && checkIn.bootTime.isAfter(now.plus(Duration.ofDays(1)))) {
            throw new InvalidInputException("bootTime", checkIn.bootTime.toString(), "is in the future");
        }
        Seen s = seen(deviceId, identity);
        String refusal = refusal(s, deviceId, identity, checkIn);
        if (refusal != null) {
            // what this node knows may be older than the store (a re-enrollment through another node): ask it
            flushQuietly();
            seen.remove(deviceId);
            s = seen(deviceId, identity);
        }
        boolean newBoot;
        synchronized (s) {
            refusal = refusal(s, deviceId, identity, checkIn);
            newBoot = refusal == null && checkIn.bootTime != null && s.bootTime != null
                    && checkIn.bootTime.isAfter(s.bootTime);
            if (refusal == null) {
                s.sequence = checkIn.sequence;
                s.bootTime = checkIn.bootTime == null ? s.bootTime : checkIn.bootTime;
                s.identity = identity == null ? s.identity : identity;
                s.osFamily = identity == null ? s.osFamily : identity.osFamily;
                s.agentVersion = agentVersion == null ? s.agentVersion : agentVersion;
                pending.put(deviceId, new Write(now, s.sequence, s.identity, s.agentVersion, s.bootTime,
                        s.enrolledAt));
            }
        }
        if (refusal != null) {
            flag(deviceId, refusal + " (at " + now + ")");
            throw new IdentityConflictException(refusal);
        }
        if (newBoot) {
            clearPendingReboot(deviceId);
        }
        CheckInReplyDTO reply = new CheckInReplyDTO();
        reply.deviceId = deviceId;
        reply.serverTime = now;
        reply.checkInSeconds = settings.checkInSeconds();
        reply.jitterSeconds = settings.jitterSeconds();
        reply.jobsDue = jobsDue(deviceId, now);
        SourceBundles bundles = sourceBundles;
        reply.bundles = bundles == null || s.osFamily == null ? List.of() : bundles.forPlatform(s.osFamily);
        reply.blockRules = blockRules();
        reply.identityConflict = s.conflict;
        return reply;
    }

    /** Why the check-in is refused as another machine's, or null when it is accepted (the rule in the class comment). */
    private static String refusal(Seen s, String deviceId, AgentIdentityDTO identity, CheckInDTO checkIn) {
        synchronized (s) {
            if (identity != null && s.hardwareId != null && !s.hardwareId.equals(identity.hardwareId)) {
                return "device '" + deviceId + "' is the machine with hardware id '" + s.hardwareId + "', not '"
                        + identity.hardwareId + "': another machine checks in with its secret";
            }
            if (checkIn.sequence < s.sequence
                    || checkIn.sequence == s.sequence && !Objects.equals(checkIn.bootTime, s.bootTime)) {
                return "check-in " + checkIn.sequence + " of device '" + deviceId + "' was seen before (the last "
                        + "was " + s.sequence + "): another machine checks in with this device's secret, a copy of "
                        + "its disk";
            }
            return null;
        }
    }

    /** What this node knows of the device's agent; read from the store the first time and now and then again. */
    private Seen seen(String deviceId, AgentIdentityDTO identity) {
        Seen s = seen.get(deviceId);
        long nowNanos = System.nanoTime();
        if (s != null && nowNanos - s.readAt < REREAD_AFTER.toNanos()) {
            return s;
        }
        Seen read = db.transaction(c -> {
            Optional<AgentRows.Agent> a = AgentRows.get(c, deviceId);
            if (a.isEmpty()) {
                if (!Documents.lockIfExists(c, "device", deviceId)) {
                    throw new NotFoundException("device", deviceId);
                }
                // a device registered by hand whose agent uses a secret an admin issued: its first check-in
                AgentIdentityDTO first = identity == null ? new AgentIdentityDTO() : identity;
                Rows.update(c, "INSERT INTO pb_agent (device_id, hardware_id, os_family) VALUES (?, ?, ?)", deviceId,
                        first.hardwareId == null ? "" : first.hardwareId, first.osFamily);
                a = AgentRows.get(c, deviceId);
            }
            Seen fresh = new Seen();
            fresh.sequence = a.get().lastSequence;
            fresh.bootTime = a.get().bootTime;
            fresh.hardwareId = a.get().identity.hardwareId == null || a.get().identity.hardwareId.isEmpty() ? null
                    : a.get().identity.hardwareId;
            fresh.conflict = a.get().identityConflict;
            fresh.identity = a.get().identity;
            fresh.osFamily = a.get().identity.osFamily;
            fresh.agentVersion = a.get().agentVersion;
            fresh.enrolledAt = a.get().enrolledAt;
            if (fresh.osFamily == null) {
                devices.get(deviceId).ifPresent(d -> fresh.osFamily = d.osFamily);
            }
            return fresh;
        });
        read.readAt = nowNanos;
        Write unwritten = pending.get(deviceId);
        if (unwritten != null && Objects.equals(unwritten.enrolledAt(), read.enrolledAt)) {
            // what this node accepted and has not written yet stays ahead of what the store says
            read.sequence = Math.max(read.sequence, unwritten.sequence());
            read.bootTime = unwritten.bootTime() == null ? read.bootTime : unwritten.bootTime();
        }
        seen.put(deviceId, read);
        return read;
    }

    /** Forgets what this node knows of a device, so the next check-in reads the store (re-enrolled, or cleared). */
    void forget(String deviceId) {
        seen.remove(deviceId);
        pending.remove(deviceId);
    }

    private void flag(String deviceId, String conflict) {
        db.transaction(c -> {
            AgentRows.conflict(c, deviceId, conflict);
            AgentRows.audit(c, clock.instant(), "patchbay", "conflict", "device", deviceId,
                    Rows.json(Map.of("device", deviceId, "conflict", conflict)));
            return null;
        });
        Seen s = seen.get(deviceId);
        if (s != null) {
            synchronized (s) {
                s.conflict = conflict;
            }
        }
        LOG.warn("Identity conflict: {}", conflict);
    }

    /** Clears an operator-resolved conflict flag. */
    boolean clearConflict(String deviceId, String actor) {
        boolean cleared = db.transaction(c -> {
            if (!Documents.lockIfExists(c, "device", deviceId)) {
                throw new NotFoundException("device", deviceId);
            }
            int n = Rows.update(c, "UPDATE pb_agent SET identity_conflict = NULL WHERE device_id = ? "
                    + "AND identity_conflict IS NOT NULL", deviceId);
            if (n > 0) {
                AgentRows.audit(c, clock.instant(), actor, "clear-conflict", "device", deviceId, null);
            }
            return n > 0;
        });
        forget(deviceId);
        return cleared;
    }

    private void clearPendingReboot(String deviceId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceDTO> d = devices.get(deviceId);
            if (d.isEmpty() || !d.get().pendingReboot) {
                return;
            }
            d.get().pendingReboot = false;
            try {
                devices.update(deviceId, d.get(), d.get().version, "device:" + deviceId);
                return;
            } catch (io.patchbay.api.ConflictException e) {
                // changed meanwhile by someone else: read it again
            }
        }
    }

    private int jobsDue(String deviceId, Instant now) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pb_job WHERE device_id = ? "
                    + "AND state IN " + JobRows.NOT_STARTED + " AND deadline > ? "
                    + "AND (not_before IS NULL OR not_before <= ?)")) {
                s.setString(1, deviceId);
                s.setTimestamp(2, AgentRows.at(now));
                s.setTimestamp(3, AgentRows.at(now));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    private List<BlockRuleDTO> blockRules() {
        BlockList list = blockList;
        if (list == null) {
            return List.of();
        }
        List<BlockRuleDTO> rules = blockRules;
        long now = System.nanoTime();
        if (rules == null || now - blockRulesReadAt > BLOCK_LIST_FOR.toNanos()) {
            rules = List.copyOf(list.rules());
            blockRules = rules;
            blockRulesReadAt = now;
        }
        return rules;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Check-ins could not be written now, trying again in a second: {}", e.getMessage());
        }
    }

    /** Writes every pending check-in as one batch; what fails stays pending for the next round. */
    int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, Write>> batch = new ArrayList<>();
        for (String id : List.copyOf(pending.keySet())) {
            Write w = pending.remove(id);
            if (w != null) {
                batch.add(Map.entry(id, w));
            }
        }
        try {
            db.transaction(c -> write(c, batch));
        } catch (RuntimeException e) {
            // put back unless a newer one came meanwhile
            for (Map.Entry<String, Write> e2 : batch) {
                pending.putIfAbsent(e2.getKey(), e2.getValue());
            }
            throw e;
        }
        return batch.size();
    }

    private static Void write(Connection c, List<Map.Entry<String, Write>> batch) throws SQLException {
        // GREATEST: a node that lags behind another never lowers the stored sequence
        try (PreparedStatement s = c.prepareStatement("UPDATE pb_agent SET last_seen_at = ?, "
                + "last_sequence = GREATEST(last_sequence, ?), hostname = COALESCE(?, hostname), "
                + "os_family = COALESCE(?, os_family), os_name = ?, os_version = ?, architecture = ?, "
                + "time_zone = COALESCE(?, time_zone), addresses = ?, machine_id = ?, serial = ?, "
                + "agent_version = COALESCE(?, agent_version), boot_time = COALESCE(?, boot_time) "
                + "WHERE device_id = ? AND (enrolled_at = ? OR enrolled_at IS NULL "
                + "AND CAST(? AS TIMESTAMP WITH TIME ZONE) IS NULL)")) {
            for (Map.Entry<String, Write> e : batch) {
                Write w = e.getValue();
                AgentIdentityDTO id = w.identity() == null ? new AgentIdentityDTO() : w.identity();
                s.setTimestamp(1, AgentRows.at(w.lastSeen()));
                s.setLong(2, w.sequence());
                s.setString(3, id.hostname);
                s.setString(4, id.osFamily);
                s.setString(5, id.osName);
                s.setString(6, id.osVersion);
                s.setString(7, id.architecture);
                s.setString(8, id.timeZone);
                s.setString(9, AgentRows.addresses(id));
                s.setString(10, id.machineId);
                s.setString(11, id.serial);
                s.setString(12, w.agentVersion());
                s.setTimestamp(13, AgentRows.at(w.bootTime()));
                s.setString(14, e.getKey());
                // a check-in of the installation before a re-enrollment does not write over the new one's
                s.setTimestamp(15, AgentRows.at(w.enrolledAt()));
                s.setTimestamp(16, AgentRows.at(w.enrolledAt()));
                s.addBatch();
            }
            s.executeBatch();
        }
        return null;
    }
}
