package io.patchbay.runs.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.patchbay.api.InvalidInputException;

/** Checks of a run's fields whose messages name the field and the value (as the store checks its own). */
final class Fields {
    private Fields() {
    }

    /** A one-line value (an id, a name): control characters would forge lines wherever it is logged or shown. */
    static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, value, "is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidInputException(field, shown(value), "may have at most " + maxLength
                    + " characters (has " + value.length() + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                throw new InvalidInputException(field, escaped(value), "must not contain control characters "
                        + "(found U+" + String.format("%04X", (int) c) + " at position " + i + ")");
            }
        }
        return value.strip();
    }

    /** The value with control characters written as escapes, safe to show in a message or a log line. */
    static String escaped(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                sb.append(switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A value as a message shows it: at most 40 characters of it. */
    static String shown(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /** A map of short texts, as options are: bounded in entries, key length and value length. */
    static Map<String, String> options(String field, Map<String, String> values, int maxCount, int maxKey,
            int maxValue) {
        if (values == null) {
            return null;
        }
        if (values.size() > maxCount) {
            throw new InvalidInputException(field, values.size() + " entries", "may have at most " + maxCount);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            required(field + " key", e.getKey(), maxKey);
            String value = e.getValue();
            if (value != null && value.length() > maxValue) {
                throw new InvalidInputException(field + "." + e.getKey(), shown(value), "may have at most "
                        + maxValue + " characters (has " + value.length() + ")");
            }
        }
        return values;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, value, "must be from " + min + " to " + max);
        }
        return value;
    }

    static List<String> strings(String field, List<String> values, int maxCount, int maxLength) {
        if (values == null) {
            return null;
        }
        if (values.size() > maxCount) {
            throw new InvalidInputException(field, values.size() + " entries", "may have at most " + maxCount);
        }
        for (int i = 0; i < values.size(); i++) {
            required(field + "[" + i + "]", values.get(i), maxLength);
        }
        return List.copyOf(values);
    }

    static void noDuplicates(String field, Collection<String> values) {
        if (values != null && Set.copyOf(values).size() != values.size()) {
            throw new InvalidInputException(field, values, "lists a value more than once");
        }
    }
}
