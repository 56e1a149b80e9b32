package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.Devices;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PageDTO;

/**
 * Devices in the store. Devices that other providers know (the server's own machine) are stored too, the first time
 * they are seen, so they can be grouped, tagged and reported like any other; what the provider knows of the machine
 * (host name, OS, architecture) is taken from it on every read.
 */
@Component(service = { DeviceInventory.class, Devices.class }, property = "service.ranking:Integer=0")
public class StoreDevices extends DocumentStore<DeviceDTO> implements DeviceInventory, Devices {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDevices.class);
    static final Set<String> FAMILIES = Set.of("windows", "macos", "linux");
    static final Set<String> CONNECTIONS = Set.of("online", "offline", "unknown");
    /** Who stores the devices that other providers know. */
    static final String ADOPTER = "patchbay";

    private final Documents<GroupDTO> groups;
    private final Clock clock;
    private final List<Devices> others = new CopyOnWriteArrayList<>();

    private final Database db;
    private final AgentSettings agents;

    @Activate
    public StoreDevices(@Reference Database db, @Reference StoreClock clock, @Reference AgentSettings agents) {
        super(Documents.devices(db, clock).guarded(StoreDevices::groupExists, (c, id) -> {
        }));
        this.groups = Documents.groups(db, clock);
        this.clock = clock;
        this.db = db;
        this.agents = agents;
    }

    /** What the devices' agents told the server; those without an agent are missing. */
    private Map<String, AgentRows.Agent> agents(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        // a page reads its own devices' agents; the whole list reads them all, as it reads every device
        return db.transaction(c -> ids.size() <= 500 ? AgentRows.of(c, ids) : AgentRows.all(c));
    }

    private List<DeviceDTO> withAgents(List<DeviceDTO> list) {
        Map<String, AgentRows.Agent> all = agents(list.stream().map(d -> d.id).toList());
        Instant now = clock.instant();
        return list.stream().map(d -> AgentRows.overlay(withStatus(d), all.get(d.id), agents, now)).toList();
    }

    @Reference(service = Devices.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(component.name=io.patchbay.store.internal.StoreDevices))")
    void addOther(Devices other) {
        others.add(other);
        for (DeviceDTO d : other.list()) {
            adopt(d);
        }
    }

    void removeOther(Devices other) {
        others.remove(other);
    }

    /** Stores what providers know now: one may have been reconfigured to a new device id since it was bound. */
    private void adoptAll() {
        for (Devices other : others) {
            other.list().forEach(this::adopt);
        }
    }

    /** Stores a device another provider knows, unless it is stored already. */
    private void adopt(DeviceDTO known) {
        if (docs.get(known.id).isPresent()) {
            return;
        }
        DeviceDTO d = copyFacts(known, new DeviceDTO());
        d.id = known.id;
        d.timeZone = known.timeZone;
        try {
            docs.createIfAbsent(validate(d), ADOPTER);
            LOG.info("Device '{}' ({}) is stored now, to be grouped and reported like any other", d.id, d.hostname);
        } catch (RuntimeException e) {
            LOG.warn("Device '{}' cannot be stored: {}", known.id, e.getMessage());
        }
    }

    /** What another provider knows of the device now, if one knows it. */
    private Optional<DeviceDTO> known(String id) {
        for (Devices d : others) {
            Optional<DeviceDTO> other = d.get(id);
            if (other.isPresent()) {
                return other;
            }
        }
        return Optional.empty();
    }

    private static DeviceDTO copyFacts(DeviceDTO from, DeviceDTO to) {
        to.hostname = from.hostname;
        to.osFamily = from.osFamily;
        to.osName = from.osName;
        to.osVersion = from.osVersion;
        to.architecture = from.architecture;
        return to;
    }

    @Override
    public Optional<DeviceDTO> get(String id) {
        Optional<DeviceDTO> stored = docs.get(id);
        if (stored.isEmpty()) {
            Optional<DeviceDTO> known = known(id);
            if (known.isEmpty()) {
                return Optional.empty();
            }
            // a provider reconfigured to a new id since it was bound
            adopt(known.get());
            stored = docs.get(id);
            if (stored.isEmpty()) {
                return known;
            }
        }
        return Optional.of(withAgents(List.of(stored.get())).get(0));
    }

    @Override
    public List<DeviceDTO> list() {
        adoptAll();
        return withAgents(docs.all());
    }

    @Override
    public PageDTO<DeviceDTO> page(String cursor, int limit) {
        if (cursor == null || cursor.isBlank()) {
            adoptAll();
        }
        PageDTO<DeviceDTO> page = docs.page(cursor, limit);
        page.items = withAgents(page.items);
        return page;
    }

    @Override
    public DeviceDTO create(DeviceDTO device, String actor) {
        if (device != null) {
            device.id = null;
        }
        return withAgents(List.of(super.create(device, actor))).get(0);
    }

    /** A device another provider knows keeps the facts that provider has of the machine, whatever the body says. */
    @Override
    public DeviceDTO update(String id, DeviceDTO device, long expectedVersion, String actor) {
        if (device != null) {
            device.id = id;
            known(id).ifPresent(k -> copyFacts(k, device));
        }
        return withAgents(List.of(super.update(id, device, expectedVersion, actor))).get(0);
    }

    /** Refuses to delete a device another provider knows: it would be stored again at once. */
    @Override
    public void delete(String id, long expectedVersion, String actor) {
        if (known(id).isPresent()) {
            throw new InUseException("device '" + id + "' is the server's own machine (or known to another "
                    + "provider) and cannot be deleted; move it to a group without policies to leave it unmanaged, "
                    + "or set excludedFromReports");
        }
        super.delete(id, expectedVersion, actor);
    }

    /** The device's group exists, and stays until the device is written. */
    static void groupExists(Connection c, DeviceDTO d) throws SQLException {
        if (d.groupId != null && !Documents.lockIfExists(c, "group", d.groupId)) {
            throw new InvalidInputException("groupId", d.groupId, "no such group");
        }
    }

    /** Unmanaged: in no group, or in a group without policies. */
    private DeviceDTO withStatus(DeviceDTO d) {
        known(d.id).ifPresent(k -> copyFacts(k, d));
        Optional<GroupDTO> g = d.groupId == null ? Optional.empty() : groups.get(d.groupId);
        d.unmanaged = g.isEmpty() || g.get().policyIds == null || g.get().policyIds.isEmpty();
        return d;
    }

    @Override
    DeviceDTO validate(DeviceDTO d) {
        if (d == null) {
            throw new InvalidInputException("body", null, "a device is required");
        }
        d.hostname = Check.required("hostname", d.hostname, 253);
        // the provider's own name for a machine it knows is taken as it is
        if (known(d.id).isEmpty()
                && !d.hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
            throw new InvalidInputException("hostname", d.hostname, "is not a valid host name");
        }
        Check.oneOf("osFamily", d.osFamily, FAMILIES);
        d.osName = Check.optional("osName", d.osName, 200);
        d.osVersion = Check.optional("osVersion", d.osVersion, 100);
        d.architecture = Check.optional("architecture", d.architecture, 32);
        Check.required("timeZone", d.timeZone, 64);
        try {
            ZoneId.of(d.timeZone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("timeZone", d.timeZone, "is not an IANA time zone, e.g. Europe/Berlin");
        }
        // a check-in from the future, or from before the epoch, is a mistake, and far enough out overflows time arithmetic
        if (d.lastCheckIn != null && (d.lastCheckIn.isAfter(clock.instant().plus(Duration.ofDays(1)))
                || d.lastCheckIn.isBefore(Instant.EPOCH))) {
            throw new InvalidInputException("lastCheckIn", d.lastCheckIn, "must be a time from 1970 until now");
        }
        d.tags = Check.strings("tags", d.tags, 50, 64);
        d.connection = d.connection == null ? "unknown" : Check.oneOf("connection", d.connection, CONNECTIONS);
        d.unmanaged = false;
        return d;
    }
}
