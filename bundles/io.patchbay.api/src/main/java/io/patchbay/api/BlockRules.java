package io.patchbay.api;

import java.util.Locale;
import java.util.regex.Pattern;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.version.VersionScheme;
import io.patchbay.api.version.VersionSchemes;

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
        if (!blank(rule.versionRange)) {
            if (blank(rule.versionScheme)) {
                throw new InvalidInputException("versionScheme", rule.versionScheme,
                        "is required with a versionRange; one of " + VersionSchemes.names());
            }
            VersionScheme scheme;
            try {
                scheme = VersionSchemes.get(rule.versionScheme);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("versionScheme", rule.versionScheme, "must be one of "
                        + VersionSchemes.names());
            }
            Range.parse(rule.versionRange, scheme);
        }
    }

    /** An interval of versions: {@code [a,b)}, {@code (a,b]}, {@code [a,)}, {@code (,b]}; either end may be open. */
    record Range(String low, boolean lowInclusive, String high, boolean highInclusive) {
        static Range parse(String text, VersionScheme scheme) {
            String t = text.strip();
            if (t.length() < 3 || "[(".indexOf(t.charAt(0)) < 0 || "])".indexOf(t.charAt(t.length() - 1)) < 0
                    || t.indexOf(',') < 0 || t.indexOf(',') != t.lastIndexOf(',')) {
                throw new InvalidInputException("versionRange", text,
                        "expected an interval such as [1.0,2.0), [1.0,) or (,2.0]");
            }
            String low = t.substring(1, t.indexOf(',')).strip();
            String high = t.substring(t.indexOf(',') + 1, t.length() - 1).strip();
            for (String v : new String[] { low, high }) {
                if (!v.isEmpty() && !scheme.isValid(v)) {
                    throw new InvalidInputException("versionRange", text, "'" + v + "' is not a valid "
                            + scheme.name() + " version");
                }
            }
            if (low.isEmpty() && high.isEmpty()) {
                throw new InvalidInputException("versionRange", text, "at least one end must be given");
            }
            return new Range(low.isEmpty() ? null : low, t.charAt(0) == '[', high.isEmpty() ? null : high,
                    t.charAt(t.length() - 1) == ']');
        }

        boolean contains(String version, VersionScheme scheme) {
            if (version == null || !scheme.isValid(version)) {
                return false;
            }
            if (low != null) {
                int c = scheme.compare(version, low);
                if (c < 0 || c == 0 && !lowInclusive) {
                    return false;
                }
            }
            if (high != null) {
                int c = scheme.compare(version, high);
                return c < 0 || c == 0 && highInclusive;
            }
            return true;
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
            if (!(p.matcher(nonNull(update.name)).matches() || p.matcher(nonNull(update.title)).matches()
                    || p.matcher(nonNull(update.id)).matches())) {
                return false;
            }
        }
        if (!blank(rule.versionRange)) {
            try {
                VersionScheme scheme = VersionSchemes.get(rule.versionScheme);
                return Range.parse(rule.versionRange, scheme).contains(update.version, scheme);
            } catch (IllegalArgumentException e) {
                return false;
            }
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
