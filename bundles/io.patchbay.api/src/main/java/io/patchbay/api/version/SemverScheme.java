package io.patchbay.api.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Semantic Versioning 2.0.0 precedence; build metadata is accepted and ignored. */
final class SemverScheme implements VersionScheme {
    // the regular expression semver.org gives for a valid version
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    @Override
    public String name() {
        return VersionSchemes.SEMVER;
    }

    @Override
    public void validate(String version) {
        match(version);
    }

    private Matcher match(String v) {
        Matcher m = v == null ? null : SEMVER.matcher(v);
        if (m == null || !m.matches()) {
            throw new InvalidVersionException(name(), v, "expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
        }
        return m;
    }

    @Override
    public int compare(String a, String b) {
        Matcher x = match(a);
        Matcher y = match(b);
        for (int g = 1; g <= 3; g++) {
            int c = compareNumeric(x.group(g), y.group(g));
            if (c != 0) {
                return c;
            }
        }
        String px = x.group(4);
        String py = y.group(4);
        if (px == null || py == null) {
            return px == null ? (py == null ? 0 : 1) : -1;
        }
        String[] ix = px.split("\\.");
        String[] iy = py.split("\\.");
        for (int i = 0; i < Math.min(ix.length, iy.length); i++) {
            boolean nx = ix[i].chars().allMatch(Character::isDigit);
            boolean ny = iy[i].chars().allMatch(Character::isDigit);
            int c = nx && ny ? compareNumeric(ix[i], iy[i]) : nx ? -1 : ny ? 1 : Integer.signum(ix[i].compareTo(iy[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ix.length, iy.length);
    }

    /** Numbers without leading zeros, of any length. */
    static int compareNumeric(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : Integer.signum(a.compareTo(b));
    }
}
