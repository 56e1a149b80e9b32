package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SourceRegistryTest {
    private final SourceRegistry registry = new SourceRegistry();

    private static SourceEntry entry(String id, long serviceId, String version) {
        return new SourceEntry(id, "apt", List.of("linux"), "io.patchbay.source.apt", version, serviceId, 0,
                () -> null);
    }

    @Test
    void aSnapshotKeepsWhatWasPresentWhenItWasTaken() {
        registry.put(entry("apt", 1, "1.0.0"));
        SourceRegistry.Snapshot before = registry.snapshot();
        registry.put(entry("dnf", 2, "1.0.0"));
        registry.remove(1);

        assertTrue(before.active("apt").isPresent());
        assertTrue(before.active("dnf").isEmpty());
        assertTrue(registry.snapshot().active("apt").isEmpty());
        assertEquals(2, registry.snapshot().active("dnf").orElseThrow().serviceId());
    }

    @Test
    void changedServicePropertiesReplaceTheEntryInOneStep() {
        registry.put(entry("apt", 1, "1.0.0"));
        assertEquals("1.0.0", registry.put(entry("apt-main", 1, "1.0.0")).orElseThrow().bundleVersion());
        assertTrue(registry.active("apt").isEmpty());
        assertEquals(1, registry.active("apt-main").orElseThrow().serviceId());
    }

    @Test
    void theListShowsRunningCountsAndDrainsItIsGiven() {
        registry.put(entry("apt", 1, "1.0.0"));
        registry.put(entry("dnf", 2, "1.0.0"));
        var listed = registry.snapshot().list(Map.of(1L, 2), Set.of("dnf"));
        assertEquals("apt", listed.get(0).id);
        assertEquals("ACTIVE", listed.get(0).state);
        assertEquals(2, listed.get(0).runningJobs);
        assertEquals("DRAINING", listed.get(1).state);
        assertEquals(0, listed.get(1).runningJobs);
    }
}
