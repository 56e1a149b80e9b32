package io.patchbay.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

import io.patchbay.api.dto.SourceDTO;

/**
 * The sources present now, by service id. Several services may carry the same instance id (an old and a new version
 * during an update, or a fallback); the one with the highest ranking, then the oldest, is in use.
 */
final class SourceRegistry {
    static final String ACTIVE = "ACTIVE";
    static final String STANDBY = "STANDBY";

    private static final Comparator<SourceEntry> PREFERENCE = Comparator.comparingInt(SourceEntry::ranking)
            .reversed().thenComparingLong(SourceEntry::serviceId);

    private final Map<Long, SourceEntry> entries = new HashMap<>();

    synchronized void put(SourceEntry entry) {
        entries.put(entry.serviceId(), entry);
    }

    synchronized Optional<SourceEntry> remove(long serviceId) {
        return Optional.ofNullable(entries.remove(serviceId));
    }

    /** The entry in use for an instance id. */
    synchronized Optional<SourceEntry> active(String id) {
        return entries.values().stream().filter(e -> e.id().equals(id)).min(PREFERENCE);
    }

    synchronized List<SourceDTO> list(ToIntFunction<Long> runningJobs) {
        List<SourceEntry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparing(SourceEntry::id).thenComparing(PREFERENCE));
        List<SourceDTO> result = new ArrayList<>();
        String previous = null;
        for (SourceEntry e : all) {
            String state = e.id().equals(previous) ? STANDBY : ACTIVE;
            result.add(e.toDTO(state, runningJobs.applyAsInt(e.serviceId())));
            previous = e.id();
        }
        return result;
    }
}
