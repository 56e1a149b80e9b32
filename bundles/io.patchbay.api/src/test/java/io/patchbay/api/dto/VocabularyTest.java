package io.patchbay.api.dto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class VocabularyTest {
    @Test
    void valuesKeepTheSpellingOfJson() {
        assertEquals(List.of("patch-all", "patch-all-except", "patch-only", "advanced"), PolicyType.allowed());
        assertEquals(List.of("critical", "important", "moderate", "low", "unspecified"), Severity.allowed());
        assertEquals(List.of("ACTIVE", "DRAINING", "STANDBY"), SourceState.allowed());
        assertEquals(List.of("microsoft-update", "wsus", "keep-device-settings"), WindowsUpdateSource.allowed());
        assertTrue(Classification.allowed().containsAll(List.of("security", "bugfix", "enhancement", "update",
                "application")));
    }

    @Test
    void fromReadsEachValueBack() {
        for (PolicyType t : PolicyType.values()) {
            assertSame(t, PolicyType.from(t.value()));
        }
        for (Classification c : Classification.values()) {
            assertSame(c, Classification.from(c.value()));
        }
        assertSame(WindowsUpdateSource.KEEP_DEVICE_SETTINGS, WindowsUpdateSource.from("keep-device-settings"));
    }

    @Test
    void anUnknownValueIsNamedWithTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Severity.from("Critical"));
        assertEquals("unknown severity 'Critical'; allowed: critical, important, moderate, low, unspecified",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PolicyType.from(null));
        assertEquals("no policy type; allowed: patch-all, patch-all-except, patch-only, advanced", e.getMessage());
        // the enum constant's name is not its spelling
        assertThrows(IllegalArgumentException.class, () -> Classification.from("NEW_PACKAGE"));
    }
}
