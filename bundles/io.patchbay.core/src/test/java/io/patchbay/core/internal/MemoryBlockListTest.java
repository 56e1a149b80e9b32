package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;

class MemoryBlockListTest {
    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

    private final MemoryBlockList list = new MemoryBlockList();

    MemoryBlockListTest() {
        list.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    }

    private static UpdateDTO openssl(String version) {
        UpdateDTO u = new UpdateDTO();
        u.id = "openssl";
        u.name = "openssl";
        u.sourceType = "apt";
        u.version = version;
        return u;
    }

    @Test
    void aRuleForSomeVersionsBlocksOnlyThose() {
        BlockRuleDTO rule = new BlockRuleDTO();
        rule.updateId = "openssl";
        rule.versionScheme = "deb";
        rule.versionRange = "[3.0.11,3.0.13)";
        BlockRuleDTO added = list.add(rule);

        assertEquals("[3.0.11,3.0.13)", added.versionRange);
        assertEquals("deb", added.versionScheme);
        assertEquals(added.id, list.match(openssl("3.0.11-1~deb12u2")).orElseThrow().id);
        assertTrue(list.match(openssl("3.0.13-1~deb12u1")).isEmpty(), "a fixed version is not blocked");
        assertTrue(list.match(openssl("3.0.9-1")).isEmpty(), "an older version is not blocked");
    }

    @Test
    void aRuleIsStampedByTheInjectedClock() {
        BlockRuleDTO rule = new BlockRuleDTO();
        rule.updateId = "KB5034441";
        assertEquals(NOW, list.add(rule).createdAt);
    }
}
