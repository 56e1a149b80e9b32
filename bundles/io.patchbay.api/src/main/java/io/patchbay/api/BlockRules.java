package io.patchbay.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.version.VersionScheme;
import io.patchbay.api.version.VersionSchemes;

/** How a block rule matches an update; shared by every {@link BlockList} implementation. */
public final class BlockRules {
    /** The longest name pattern a rule may have. */
    static final int MAX_PATTERN_LENGTH = 500;

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
        if (!blank(rule.namePattern) && rule.namePattern.length() > MAX_PATTERN_LENGTH) {
            throw new InvalidInputException("namePattern", rule.namePattern.substring(0, 40) + "…",
                    "a pattern may have at most " + MAX_PATTERN_LENGTH + " characters (it has "
                            + rule.namePattern.length() + ")");
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
            Glob glob = new Glob(rule.namePattern);
            if (!(glob.matches(nonNull(update.name)) || glob.matches(nonNull(update.title))
                    || glob.matches(nonNull(update.id)))) {
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

    /**
     * A case-insensitive regular expression for a pattern with {@code *} (any run) and {@code ?} (one character) that
     * matches whole strings. It never backtracks into a run already matched: the text between two stars is taken at
     * its leftmost place inside an atomic group, so matching takes at most (text length x pattern length) steps,
     * whatever the pattern.
     */
    public static Pattern glob(String pattern) {
        String[] pieces = pattern.split("\\*+", -1);
        StringBuilder re = new StringBuilder(literal(pieces[0]));
        for (int i = 1; i < pieces.length - 1; i++) {
            if (!pieces[i].isEmpty()) {
                re.append("(?>.*?").append(literal(pieces[i])).append(')');
            }
        }
        if (pieces.length > 1) {
            re.append(".*").append(literal(pieces[pieces.length - 1]));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static String literal(String piece) {
        StringBuilder re = new StringBuilder();
        piece.codePoints().forEach(c -> re.append(c == '?' ? "." : Pattern.quote(Character.toString(c))));
        return re.toString();
    }

    /**
     * A pattern with {@code *} and {@code ?} as a nondeterministic automaton run over the text once, with its states
     * as bits: time linear in the text (times pattern length / 64), no backtracking, whatever the pattern.
     */
    static final class Glob {
        private final int[] literals;
        private final long[] stars;
        private final long[] any;
        private final Map<Integer, long[]> byCodePoint = new HashMap<>();
        private final int states;

        Glob(String pattern) {
            List<Integer> tokens = new ArrayList<>();
            pattern.codePoints().forEach(c -> {
                if (c != '*' || tokens.isEmpty() || tokens.get(tokens.size() - 1) != '*') {
                    tokens.add(c == '*' || c == '?' ? c : fold(c));
                }
            });
            states = tokens.size() + 1;
            int words = (states + 63) / 64;
            literals = tokens.stream().mapToInt(Integer::intValue).toArray();
            stars = new long[words];
            any = new long[words];
            for (int i = 0; i < literals.length; i++) {
                if (literals[i] == '*') {
                    set(stars, i);
                } else if (literals[i] == '?') {
                    set(any, i);
                }
            }
            for (int i = 0; i < literals.length; i++) {
                if (literals[i] != '*' && literals[i] != '?') {
                    set(byCodePoint.computeIfAbsent(literals[i], c -> any.clone()), i);
                }
            }
        }

        boolean matches(String text) {
            int words = stars.length;
            long[] current = new long[words];
            long[] next = new long[words];
            set(current, 0);
            closeOverStars(current);
            for (int i = 0; i < text.length();) {
                int c = text.codePointAt(i);
                i += Character.charCount(c);
                long[] step = byCodePoint.getOrDefault(fold(c), any);
                boolean alive = false;
                long carry = 0;
                for (int w = 0; w < words; w++) {
                    long advanced = current[w] & step[w];
                    // a star takes the character and stays; a matching token moves on by one state
                    next[w] = (current[w] & stars[w]) | (advanced << 1) | carry;
                    carry = advanced >>> 63;
                }
                closeOverStars(next);
                for (int w = 0; w < words; w++) {
                    alive |= next[w] != 0;
                }
                if (!alive) {
                    return false;
                }
                long[] t = current;
                current = next;
                next = t;
            }
            return (current[(states - 1) / 64] & (1L << ((states - 1) % 64))) != 0;
        }

        /** A star may match nothing: being before it is being after it (stars never follow each other here). */
        private void closeOverStars(long[] bits) {
            long carry = 0;
            for (int w = 0; w < bits.length; w++) {
                long before = bits[w] & stars[w];
                bits[w] |= (before << 1) | carry;
                carry = before >>> 63;
            }
        }

        private static void set(long[] bits, int i) {
            bits[i / 64] |= 1L << (i % 64);
        }

        private static int fold(int c) {
            return Character.toLowerCase(Character.toUpperCase(c));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
