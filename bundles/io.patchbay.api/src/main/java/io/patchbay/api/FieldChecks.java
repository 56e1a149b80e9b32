package io.patchbay.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks of input fields whose {@link InvalidInputException} names the field and the value, shared by the platform
 * bundles that take input (the store, run orchestration) so that every refusal reads the same.
 */
public final class FieldChecks {
    private FieldChecks() {
    }

    /** A one-line value (an id, a name): control characters would forge lines wherever it is logged or shown. */
    public static String required(String field, String value, int maxLength) {
        return line(field, value, maxLength, false);
    }

    public static String optional(String field, String value, int maxLength) {
        return value == null || value.isBlank() ? null : required(field, value, maxLength);
    }

    /** A free text that may have several lines (a description, a reason), but no other control characters. */
    public static String text(String field, String value, int maxLength) {
        return value == null || value.isBlank() ? null : line(field, value, maxLength, true);
    }

    private static String line(String field, String value, int maxLength, boolean lineBreaks) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, value, "is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidInputException(field, shown(value), "may have at most " + maxLength
                    + " characters (has " + value.length() + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL && !(lineBreaks && (c == '\n' || c == '\r' || c == '\t'))) {
                throw new InvalidInputException(field, escaped(value), "must not contain control characters "
                        + "(found U+" + String.format("%04X", (int) c) + " at position " + i + ")");
            }
        }
        return value.strip();
    }

    /** The value with control characters written as escapes, safe to show in a message or a log line. */
    public static String escaped(String value) {
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
    public static String shown(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /** A text that may be absent and, when present, is kept as it is up to {@code maxLength} characters. */
    public static String bounded(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidInputException(field, shown(value), "may have at most " + maxLength + " characters (has "
                    + value.length() + ")");
        }
        return value;
    }

    /** A map of short texts, as options are: bounded in entries, key length and value length. */
    public static Map<String, String> options(String field, Map<String, String> values, int maxCount,
            int maxKey, int maxValue) {
        if (values == null) {
            return null;
        }
        if (values.size() > maxCount) {
            throw new InvalidInputException(field, values.size() + " entries", "may have at most " + maxCount);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            required(field + " key", e.getKey(), maxKey);
            bounded(field + "." + e.getKey(), e.getValue(), maxValue);
        }
        return values;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(field, value, "must be from " + min + " to " + max);
        }
        return value;
    }

    public static List<String> strings(String field, List<String> values, int maxCount, int maxLength) {
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

    public static void noDuplicates(String field, Collection<String> values) {
        if (values != null && Set.copyOf(values).size() != values.size()) {
            throw new InvalidInputException(field, values, "lists a value more than once");
        }
    }
}
