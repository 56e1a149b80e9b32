package io.patchbay.store.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.patchbay.api.FieldChecks;
import io.patchbay.api.InvalidInputException;

/** Field checks whose messages name the field and the value. */
final class Check {
    private Check() {
    }

    /** A one-line value (an id, a name): control characters would forge lines wherever it is logged or shown. */
    static String required(String field, String value, int maxLength) {
        return FieldChecks.required(field, value, maxLength);
    }

    static String optional(String field, String value, int maxLength) {
        return FieldChecks.optional(field, value, maxLength);
    }

    /** A free text that may have several lines (a description, a reason), but no other control characters. */
    static String text(String field, String value, int maxLength) {
        return FieldChecks.text(field, value, maxLength);
    }

    static String escaped(String value) {
        return FieldChecks.escaped(value);
    }

    static String shown(String value) {
        return FieldChecks.shown(value);
    }

    static String bounded(String field, String value, int maxLength) {
        return FieldChecks.bounded(field, value, maxLength);
    }

    static java.util.Map<String, String> options(String field, java.util.Map<String, String> values, int maxCount,
            int maxKey, int maxValue) {
        return FieldChecks.options(field, values, maxCount, maxKey, maxValue);
    }

    static int range(String field, int value, int min, int max) {
        return FieldChecks.range(field, value, min, max);
    }

    static String oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new InvalidInputException(field, value, "must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    /**
     * A value of one of the api's vocabularies, looked up with its {@code from}; the message names the field, the
     * value and the allowed values.
     */
    static <E> E vocabulary(String field, String value, java.util.function.Function<String, E> from,
            List<String> allowed) {
        try {
            return from.apply(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, value == null ? null : shown(escaped(value)),
                    "must be one of " + allowed);
        }
    }

    /** Each value of a list from one of the api's vocabularies; null stays null. */
    static <E> List<String> eachVocabulary(String field, List<String> values, int maxCount,
            java.util.function.Function<String, E> from, List<String> allowed) {
        if (values == null) {
            return null;
        }
        if (values.size() > maxCount) {
            throw new InvalidInputException(field, values.size() + " entries", "may have at most " + maxCount);
        }
        for (int i = 0; i < values.size(); i++) {
            vocabulary(field + "[" + i + "]", values.get(i), from, allowed);
        }
        noDuplicates(field, values);
        return List.copyOf(values);
    }

    static List<String> eachOneOf(String field, List<String> values, Set<String> allowed) {
        if (values == null) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            oneOf(field + "[" + i + "]", values.get(i), allowed);
        }
        return List.copyOf(values);
    }

    static List<String> strings(String field, List<String> values, int maxCount, int maxLength) {
        return FieldChecks.strings(field, values, maxCount, maxLength);
    }

    static void noDuplicates(String field, Collection<String> values) {
        FieldChecks.noDuplicates(field, values);
    }

    /** A type or id as sources and plugins spell it: letters, digits, dot, dash and underscore. */
    static String identifier(String field, String value) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidInputException(field, escaped(value), "must start with a letter or digit and have only "
                    + "letters, digits, '.', '-' and '_'");
        }
        return value;
    }

    /**
     * A pattern in the glob syntax of {@code BlockRules.glob}: {@code *} and {@code ?} are the only wildcards. Brackets,
     * braces and backslashes are wildcards or escapes in other glob syntaxes, so they are refused rather than read as
     * plain characters that would silently match nothing the writer meant.
     */
    static String glob(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("[]{}\\".indexOf(c) >= 0) {
                throw new InvalidInputException(field, escaped(value), "'" + c + "' at position " + i
                        + " is not part of the pattern syntax: only * (any run of characters) and ? (one character) "
                        + "are wildcards, every other character matches itself; use ? in its place");
            }
        }
        return value;
    }
}
