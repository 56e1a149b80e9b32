package io.patchbay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;

class BlockRulesTest {

    private static UpdateDTO update(String sourceType, String id, String name, String kb) {
        UpdateDTO u = new UpdateDTO();
        u.sourceType = sourceType;
        u.id = id;
        u.name = name;
        u.title = name;
        u.kb = kb;
        return u;
    }

    private static BlockRuleDTO rule(String sourceType, String updateId, String pattern) {
        BlockRuleDTO r = new BlockRuleDTO();
        r.sourceType = sourceType;
        r.updateId = updateId;
        r.namePattern = pattern;
        return r;
    }

    @Test
    void everyCriterionThatIsSetMustMatch() {
        UpdateDTO kernel = update("apt", "linux-image-amd64", "linux-image-amd64", null);
        assertTrue(BlockRules.matches(rule(null, null, "linux-image-*"), kernel));
        assertTrue(BlockRules.matches(rule("apt", null, "LINUX-IMAGE-*"), kernel));
        assertFalse(BlockRules.matches(rule("dnf", null, "linux-image-*"), kernel));
        assertFalse(BlockRules.matches(rule("apt", "openssl", "linux-image-*"), kernel));
        assertTrue(BlockRules.matches(rule("apt", null, null), kernel));
    }

    @Test
    void anUpdateIdRuleMatchesTheIdOrTheKb() {
        UpdateDTO cu = update("windowsupdate", "f3b1c2a0-guid", "2024-01 Cumulative Update", "KB5034441");
        assertTrue(BlockRules.matches(rule(null, "kb5034441", null), cu));
        assertTrue(BlockRules.matches(rule(null, "f3b1c2a0-guid", null), cu));
        assertFalse(BlockRules.matches(rule(null, "KB5034440", null), cu));
    }

    @Test
    void wildcardsAreTheOnlySpecialCharacters() {
        UpdateDTO u = update("apt", "libc6", "libc6 (2.36)", null);
        assertTrue(BlockRules.matches(rule(null, null, "libc? (2.36)"), u));
        assertFalse(BlockRules.matches(rule(null, null, "libc. (2.36)"), u), "a dot is a dot");
        assertFalse(BlockRules.matches(rule(null, null, "libc"), u), "a pattern matches the whole name");
    }

    @Test
    void aRuleWithoutCriteriaMatchesNothingAndIsRefused() {
        assertFalse(BlockRules.matches(rule(null, null, " "), update("apt", "a", "a", null)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BlockRules.validate(rule(null, "", null)));
        assertEquals("updateId", e.field());
        assertTrue(e.getMessage().contains("at least one of"), e.getMessage());
    }
}
