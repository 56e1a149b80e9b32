package io.patchbay.api;

import java.util.Locale;
import java.util.regex.Pattern;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;

/** How a block rule matches an update; shared by every {@link BlockList} implementation. */
public final class BlockRules {
    private BlockRules() {
    }

    /** Checks that a rule can match anything at all and that its pattern is well formed. */
    public static void validate(BlockRuleDTO rule) {
        if (rule == null) {
            throw new InvalidInputException("rule", null, "a block rule is required");
        }
        if (blank(rule.sourceType) && blank(rule.updateId) && blank(rule.namePattern)) {
            throw new InvalidInputException("updateId", rule.updateId,
                    "a block rule needs at least one of sourceType, updateId or namePattern");
        }
        if (!blank(rule.namePattern) && rule.namePattern.length() > 500) {
            throw new InvalidInputException("namePattern", rule.namePattern.substring(0, 40) + "…",
                    "a pattern may have at most 500 characters");
        }
    }

    /** True when every criterion the rule sets matches the update. */
    public static boolean matches(BlockRuleDTO rule, UpdateDTO update) {
        if (blank(rule.sourceType) && blank(rule.updateId) && blank(rule.namePattern)) {
            return false;
        }
        if (!blank(rule.sourceType) && !rule.sourceType.equalsIgnoreCase(nonNull(update.sourceType))) {
            return false;
        }
        if (!blank(rule.updateId) && !rule.updateId.equalsIgnoreCase(nonNull(update.id))
                && !rule.updateId.equalsIgnoreCase(nonNull(update.kb))) {
            return false;
        }
        if (!blank(rule.namePattern)) {
            Pattern p = glob(rule.namePattern);
            return p.matcher(nonNull(update.name)).matches() || p.matcher(nonNull(update.title)).matches()
                    || p.matcher(nonNull(update.id)).matches();
        }
        return true;
    }

    /** A case-insensitive regular expression for a pattern with {@code *} (any run) and {@code ?} (one character). */
    public static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
            case '*' -> re.append(".*");
            case '?' -> re.append('.');
            default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
