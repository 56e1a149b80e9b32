package io.patchbay.api.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Versions as the winget client orders them: a leading {@code v} or {@code V} is dropped, the rest is split at
 * periods, and each part is a leading number and an "other" text after it. Parts compare by number, then a part
 * without other text comes after one with it ({@code 1.1} after {@code 1.1-beta}), then the other texts compare
 * case-insensitively. Trailing parts that are 0 with no text do not count ({@code 1.0.0} is {@code 1}); otherwise
 * the version with more parts is newer. {@code Latest} sorts after and {@code Unknown} before every other version.
 * Any non-empty string is a version, as it is for winget.
 */
final class WingetVersionScheme implements VersionScheme {
    private static final BigInteger ULLONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Override
    public String name() {
        return VersionSchemes.WINGET;
    }

    @Override
    public void validate(String version) {
        parts(version);
    }

    /** One period-separated part: its leading number, and the text after it. */
    private record Part(BigInteger number, String other) implements Comparable<Part> {
        static Part of(String text) {
            String t = text.strip();
            int digits = 0;
            while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
                digits++;
            }
            if (digits == 0) {
                return new Part(BigInteger.ZERO, t);
            }
            BigInteger n = new BigInteger(t.substring(0, digits));
            // a number past 64 bits is not a number to winget: the whole part is text
            return n.compareTo(ULLONG_MAX) > 0 ? new Part(BigInteger.ZERO, t) : new Part(n, t.substring(digits));
        }

        boolean isZero() {
            return number.signum() == 0 && other.isEmpty();
        }

        @Override
        public int compareTo(Part o) {
            int c = number.compareTo(o.number);
            if (c != 0) {
                return c;
            }
            if (other.isEmpty() || o.other.isEmpty()) {
                return Boolean.compare(other.isEmpty(), o.other.isEmpty());
            }
            return fold(other).compareTo(fold(o.other));
        }

        private static String fold(String s) {
            return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        }
    }

    private List<Part> parts(String version) {
        if (version == null || version.isBlank()) {
            throw new InvalidVersionException(name(), version, "it is empty");
        }
        String v = version.strip();
        if ((v.charAt(0) == 'v' || v.charAt(0) == 'V') && v.length() > 1 && Character.isDigit(v.charAt(1))) {
            v = v.substring(1);
        }
        List<Part> parts = new ArrayList<>();
        for (String p : v.split("\\.", -1)) {
            parts.add(Part.of(p));
        }
        while (!parts.isEmpty() && parts.get(parts.size() - 1).isZero()) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

    /** 1 for Latest, -1 for Unknown, 0 for any other version. */
    private static int special(List<Part> parts) {
        if (parts.size() == 1 && parts.get(0).number.signum() == 0) {
            if (parts.get(0).other.equalsIgnoreCase("latest")) {
                return 1;
            }
            if (parts.get(0).other.equalsIgnoreCase("unknown")) {
                return -1;
            }
        }
        return 0;
    }

    @Override
    public int compare(String a, String b) {
        List<Part> x = parts(a);
        List<Part> y = parts(b);
        int sx = special(x);
        int sy = special(y);
        if (sx != 0 || sy != 0) {
            return Integer.compare(sx, sy);
        }
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
