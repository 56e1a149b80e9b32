package io.patchbay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;

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
    void aVersionRangeLimitsTheRuleToThoseVersionsByTheirScheme() {
        BlockRuleDTO r = rule("dnf", null, "openssl*");
        r.versionScheme = "rpm";
        r.versionRange = "[1:3.0.7-25.el9,1:3.0.8)";
        BlockRules.validate(r);
        UpdateDTO bad = update("dnf", "openssl.x86_64", "openssl", null);
        bad.version = "1:3.0.7-25.el9_3";
        assertTrue(BlockRules.matches(r, bad), "el9_3 is newer than el9, older than 3.0.8");
        UpdateDTO fixed = update("dnf", "openssl.x86_64", "openssl", null);
        fixed.version = "1:3.0.8-1.el9";
        assertFalse(BlockRules.matches(r, fixed));
        UpdateDTO old = update("dnf", "openssl.x86_64", "openssl", null);
        old.version = "3.0.9-1.el9";
        assertFalse(BlockRules.matches(r, old), "epoch 0 is older than epoch 1");

        BlockRuleDTO open = rule(null, "KB5034441", null);
        open.versionScheme = "windows";
        open.versionRange = "(,10.0.22631.3007]";
        UpdateDTO kb = update("windowsupdate", "KB5034441", "2024-01 Cumulative Update", "KB5034441");
        kb.version = "10.0.22631.3007";
        assertTrue(BlockRules.matches(open, kb));
    }

    @Test
    void malformedVersionRangesAreRefusedNamingTheField() {
        BlockRuleDTO r = rule("apt", null, null);
        r.versionRange = "[1.0,2.0)";
        assertEquals("versionScheme", assertThrows(InvalidInputException.class, () -> BlockRules.validate(r)).field());
        r.versionScheme = "deb";
        for (String bad : new String[] { "1.0", "[1.0;2.0)", "[,]", "[a.0,2.0)", "[1,2,3]" }) {
            r.versionRange = bad;
            assertEquals("versionRange", assertThrows(InvalidInputException.class, () -> BlockRules.validate(r),
                    bad).field());
        }
        r.versionScheme = "ebuild";
        r.versionRange = "[1.0,2.0)";
        assertEquals("versionScheme", assertThrows(InvalidInputException.class, () -> BlockRules.validate(r)).field());
    }

    @Test
    void aRuleWithoutCriteriaMatchesNothingAndIsRefused() {
        assertFalse(BlockRules.matches(rule(null, null, " "), update("apt", "a", "a", null)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BlockRules.validate(rule(null, "", null)));
        assertEquals("updateId", e.field());
        assertTrue(e.getMessage().contains("at least one of"), e.getMessage());
    }

    /** The backtracking translation the matcher replaced: right answers, in exponential time on some patterns. */
    private static boolean byBacktracking(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                .matcher(text).matches();
    }

    @Test
    void theMatcherAgreesWithTheRegularExpressionOnEverySmallCase() {
        Random random = new Random(8);
        String patternChars = "ab?*";
        String textChars = "abAB";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = random.nextInt(9); i > 0; i--) {
                pattern.append(patternChars.charAt(random.nextInt(patternChars.length())));
            }
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(11); i > 0; i--) {
                text.append(textChars.charAt(random.nextInt(textChars.length())));
            }
            String p = pattern.toString();
            String t = text.toString();
            boolean expected = byBacktracking(p, t);
            assertEquals(expected, new BlockRules.Glob(p).matches(t), "'" + p + "' on '" + t + "'");
            assertEquals(expected, BlockRules.glob(p).matcher(t).matches(), "glob('" + p + "') on '" + t + "'");
        }
    }

    @Test
    void patternsMatchAcrossCaseAndOutsideAscii() {
        assertTrue(new BlockRules.Glob("ÄPFEL-?.*").matches("äpfel-1.2"));
        assertTrue(new BlockRules.Glob("*😀?").matches("smile😀!"));
        assertFalse(new BlockRules.Glob("*😀??").matches("smile😀!"));
        assertTrue(new BlockRules.Glob("a.b[c]\\d").matches("A.B[C]\\D"), "no character is special but * and ?");
        assertFalse(new BlockRules.Glob("a.b").matches("axb"));
        assertTrue(new BlockRules.Glob("a?b").matches("a\nb"), "? matches a line break too");
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            wide.append(i % 2 == 0 ? '*' : 'x');
        }
        assertTrue(new BlockRules.Glob(wide + "y").matches("x".repeat(150) + "y"), "more states than one word holds");
        assertFalse(new BlockRules.Glob(wide + "y").matches("x".repeat(99) + "y"));
    }

    @Test
    void aPatternThatMakesARegularExpressionBacktrackMatchesAtOnce() {
        // the backtracking translation of this pattern on this name runs for minutes; the guard only stops a hang
        String name = "a".repeat(1_000);
        String manyStars = "*a".repeat(250);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertFalse(BlockRules.matches(rule(null, null, "*a*a*a*b"), update("apt", name, name, null)));
            assertFalse(BlockRules.glob("*a*a*a*b").matcher(name).matches());
            assertFalse(BlockRules.matches(rule(null, null, manyStars + "b"), update("apt", name, name, null)));
            assertFalse(BlockRules.glob(manyStars + "b").matcher(name).matches());
            assertTrue(BlockRules.matches(rule(null, null, manyStars), update("apt", name, name, null)));
            assertTrue(BlockRules.glob(manyStars).matcher(name).matches());
        });
    }

    @Test
    void aPatternLongerThanTheLimitIsRefusedNamingTheField() {
        BlockRules.validate(rule(null, null, "*".repeat(BlockRules.MAX_PATTERN_LENGTH)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BlockRules.validate(rule(null, null, "*a".repeat(300))));
        assertEquals("namePattern", e.field());
        assertTrue(e.getMessage().contains("at most 500"), e.getMessage());
    }
}
