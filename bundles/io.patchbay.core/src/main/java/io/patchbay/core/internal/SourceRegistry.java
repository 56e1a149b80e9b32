package io.patchbay.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.patchbay.api.dto.SourceDTO;

/**
 * The sources present now, by service id. Several services may carry the same instance id (an old and a new version
 * during an update, or a fallback); the one with the highest ranking, then the oldest, is in use.
 * <p>
 * It holds no lock: every change publishes a new immutable {@link Snapshot}, and readers work on the snapshot they
 * got, so nobody ever waits on the registry while holding a lock of their own.
 */
final class SourceRegistry {
    static final String ACTIVE = "ACTIVE";
    static final String STANDBY = "STANDBY";
    static final String DRAINING = "DRAINING";

    private static final Comparator<SourceEntry> PREFERENCE = Comparator.comparingInt(SourceEntry::ranking)
            .reversed().thenComparingLong(SourceEntry::serviceId);

    /** The sources present at one moment; never changes. */
    static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(Map.of());

        private final Map<Long, SourceEntry> byServiceId;

        private Snapshot(Map<Long, SourceEntry> byServiceId) {
            this.byServiceId = Map.copyOf(byServiceId);
        }

        /** The instance ids present. */
        Set<String> activeIds() {
            Set<String> ids = new java.util.HashSet<>();
            byServiceId.values().forEach(e -> ids.add(e.id()));
            return ids;
        }

        /** The entry in use for an instance id. */
        Optional<SourceEntry> active(String id) {
            return byServiceId.values().stream().filter(e -> e.id().equals(id)).min(PREFERENCE);
        }

        /**
         * Every source service, ordered by id, the one in use first; the counts and drained ids are values the
         * caller got from the job runner beforehand.
         */
        List<SourceDTO> list(Map<Long, Integer> runningJobsByServiceId, Set<String> drainingIds) {
            List<SourceEntry> all = new ArrayList<>(byServiceId.values());
            all.sort(Comparator.comparing(SourceEntry::id).thenComparing(PREFERENCE));
            List<SourceDTO> result = new ArrayList<>();
            String previous = null;
            for (SourceEntry e : all) {
                String state = e.id().equals(previous) ? STANDBY : drainingIds.contains(e.id()) ? DRAINING : ACTIVE;
                result.add(e.toDTO(state, runningJobsByServiceId.getOrDefault(e.serviceId(), 0)));
                previous = e.id();
            }
            return result;
        }

        private Snapshot with(SourceEntry entry) {
            Map<Long, SourceEntry> next = new HashMap<>(byServiceId);
            next.put(entry.serviceId(), entry);
            return new Snapshot(next);
        }

        private Snapshot without(long serviceId) {
            if (!byServiceId.containsKey(serviceId)) {
                return this;
            }
            Map<Long, SourceEntry> next = new HashMap<>(byServiceId);
            next.remove(serviceId);
            return new Snapshot(next);
        }
    }

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);

    /** The sources present now, to read without locking. */
    Snapshot snapshot() {
        return current.get();
    }

    /** Adds an entry, or replaces the one with its service id in one step; returns the one replaced. */
    Optional<SourceEntry> put(SourceEntry entry) {
        Snapshot before = current.getAndUpdate(s -> s.with(entry));
        return Optional.ofNullable(before.byServiceId.get(entry.serviceId()));
    }

    Optional<SourceEntry> remove(long serviceId) {
        Snapshot before = current.getAndUpdate(s -> s.without(serviceId));
        return Optional.ofNullable(before.byServiceId.get(serviceId));
    }

    /** The entry in use for an instance id, now. */
    Optional<SourceEntry> active(String id) {
        return snapshot().active(id);
    }
}
