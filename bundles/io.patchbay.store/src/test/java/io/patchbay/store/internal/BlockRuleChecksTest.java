package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.BlockRuleDTO;

/** Every field of a block rule is checked when it is added, also those that only matter together with others. */
class BlockRuleChecksTest {
    @TempDir
    Path dir;

    private StoreBlockList blockList;

    @BeforeEach
    void open() throws Exception {
        StoreClock clock = new StoreClock();
        java.lang.reflect.Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, java.time.Clock.systemUTC());
        blockList = new StoreBlockList(new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> dir),
                clock);
    }

    private static BlockRuleDTO rule(String updateId, String namePattern, String sourceType, String versionScheme) {
        BlockRuleDTO r = new BlockRuleDTO();
        r.updateId = updateId;
        r.namePattern = namePattern;
        r.sourceType = sourceType;
        r.versionScheme = versionScheme;
        return r;
    }

    @Test
    void anUnknownVersionSchemeIsRefusedAlsoWithoutARange() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> blockList.add(rule("a", null, null, "bogus")));
        assertEquals("versionScheme", e.field());
    }

    @Test
    void aPatternWithBracketsIsRefusedBecauseOnlyStarAndQuestionMarkAreWildcards() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> blockList.add(rule(null, "([", null, null)));
        assertEquals("namePattern", e.field());
        assertEquals("openssl* (?)", blockList.add(rule(null, "openssl* (?)", null, null)).namePattern);
    }

    @Test
    void aSourceTypeNotInstalledYetIsKeptButItMustBeAWellFormedId() {
        assertEquals("nosuch", blockList.add(rule("a", null, "nosuch", null)).sourceType);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> blockList.add(rule("a", null, "no such/type", null)));
        assertEquals("sourceType", e.field());
    }
}
