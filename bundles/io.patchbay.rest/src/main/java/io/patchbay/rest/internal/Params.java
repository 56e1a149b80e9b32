package io.patchbay.rest.internal;

import io.patchbay.api.InvalidInputException;

/** Query and header values read as text and checked here, so that a bad one is a 400 naming it, never a 404. */
final class Params {
    private Params() {
    }

    /** A whole number from {@code min} to {@code max}, or {@code absent} when the parameter is not given. */
    static int number(String field, String text, int absent, int min, int max) {
        if (text == null) {
            return absent;
        }
        String t = text.strip();
        if (!t.matches("[0-9]{1,10}") || Long.parseLong(t) < min || Long.parseLong(t) > max) {
            throw new InvalidInputException(field, shown(text), "must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(t);
    }

    /** A value as an error message may show it: short, and without line breaks or other control characters. */
    static String shown(String value) {
        if (value == null) {
            return null;
        }
        String s = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
