package io.patchbay.store.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.Devices;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PageDTO;

/**
 * Devices in the store. As the {@link Devices} the core uses, it answers for the stored devices and for those that
 * other providers know (the server's own machine), so jobs keep running on both.
 */
@Component(service = { DeviceInventory.class, Devices.class }, property = "service.ranking:Integer=0")
public class StoreDevices extends DocumentStore<DeviceDTO> implements DeviceInventory, Devices {
    static final Set<String> FAMILIES = Set.of("windows", "macos", "linux");
    static final Set<String> CONNECTIONS = Set.of("online", "offline", "unknown");

    private final Documents<GroupDTO> groups;

    @Reference(service = Devices.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(component.name=io.patchbay.store.internal.StoreDevices))")
    private volatile List<Devices> others;

    @Activate
    public StoreDevices(@Reference Database db) {
        super(Kinds.devices(db));
        this.groups = Kinds.groups(db);
    }

    @Override
    public Optional<DeviceDTO> get(String id) {
        Optional<DeviceDTO> stored = docs.get(id).map(this::withStatus);
        if (stored.isPresent()) {
            return stored;
        }
        for (Devices d : others) {
            Optional<DeviceDTO> other = d.get(id);
            if (other.isPresent()) {
                return other;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<DeviceDTO> list() {
        List<DeviceDTO> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (DeviceDTO d : docs.all()) {
            all.add(withStatus(d));
            ids.add(d.id);
        }
        for (Devices other : others) {
            other.list().stream().filter(d -> ids.add(d.id)).forEach(all::add);
        }
        return all;
    }

    /** Stored devices a page at a time; the first page starts with the devices known only elsewhere. */
    @Override
    public PageDTO<DeviceDTO> page(String cursor, int limit) {
        PageDTO<DeviceDTO> page = docs.page(cursor, limit);
        List<DeviceDTO> items = new ArrayList<>();
        if (cursor == null || cursor.isBlank()) {
            for (Devices other : others) {
                other.list().stream().filter(d -> docs.get(d.id).isEmpty()).forEach(items::add);
            }
        }
        page.items.stream().map(this::withStatus).forEach(items::add);
        page.items = items;
        return page;
    }

    @Override
    public DeviceDTO create(DeviceDTO device, String actor) {
        return withStatus(super.create(device, actor));
    }

    @Override
    public DeviceDTO update(String id, DeviceDTO device, long expectedVersion, String actor) {
        return withStatus(super.update(id, device, expectedVersion, actor));
    }

    /** Unmanaged: in no group, or in a group without policies. */
    private DeviceDTO withStatus(DeviceDTO d) {
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
        if (!d.hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
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
        if (d.groupId != null && groups.get(d.groupId).isEmpty()) {
            throw new InvalidInputException("groupId", d.groupId, "no such group");
        }
        // a check-in from the future, or from before the epoch, is a mistake, and far enough out overflows time arithmetic
        if (d.lastCheckIn != null && (d.lastCheckIn.isAfter(Instant.now().plus(Duration.ofDays(1)))
                || d.lastCheckIn.isBefore(Instant.EPOCH))) {
            throw new InvalidInputException("lastCheckIn", d.lastCheckIn, "must be a time from 1970 until now");
        }
        d.tags = Check.strings("tags", d.tags, 50, 64);
        d.connection = d.connection == null ? "unknown" : Check.oneOf("connection", d.connection, CONNECTIONS);
        d.unmanaged = false;
        return d;
    }
}
