package io.patchbay.api.version;

/**
 * RPM versions, full EVR strings {@code [epoch:]version[-release]} (the release follows the last hyphen), ordered
 * exactly as librpm: epochs (a missing epoch is 0), then {@code rpmvercmp} on the versions, then on the releases when
 * both have one. {@code rpmvercmp} splits into runs of ASCII digits and of ASCII letters, skipping other characters;
 * {@code ~} sorts before anything, even the end, and {@code ^} after the end but before anything else; digit runs
 * compare numerically and are newer than letter runs.
 */
final class RpmVersionScheme implements VersionScheme {

    private record Evr(String epoch, String version, String release) {
    }

    @Override
    public String name() {
        return VersionSchemes.RPM;
    }

    @Override
    public int compare(String a, String b) {
        Evr x = parse(a);
        Evr y = parse(b);
        int c = rpmvercmp(x.epoch == null ? "0" : x.epoch, y.epoch == null ? "0" : y.epoch);
        if (c != 0) {
            return c;
        }
        c = rpmvercmp(x.version, y.version);
        if (c != 0 || x.release == null || y.release == null) {
            return c;
        }
        return rpmvercmp(x.release, y.release);
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    private Evr parse(String evr) {
        if (evr == null || evr.isEmpty()) {
            throw new InvalidVersionException(name(), evr, "it is empty");
        }
        for (char ch : evr.toCharArray()) {
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
                    || "._+~^:-".indexOf(ch) >= 0)) {
                throw new InvalidVersionException(name(), evr, "'" + ch + "' may not appear in an RPM version");
            }
        }
        int s = 0;
        while (s < evr.length() && isDigit(evr.charAt(s))) {
            s++;
        }
        String epoch = null;
        String rest = evr;
        if (s < evr.length() && evr.charAt(s) == ':') {
            epoch = s == 0 ? "0" : evr.substring(0, s);
            rest = evr.substring(s + 1);
        }
        if (rest.indexOf(':') >= 0) {
            throw new InvalidVersionException(name(), evr, "only a numeric epoch may precede ':'");
        }
        int hyphen = rest.lastIndexOf('-');
        String version = hyphen >= 0 ? rest.substring(0, hyphen) : rest;
        String release = hyphen >= 0 ? rest.substring(hyphen + 1) : null;
        if (version.isEmpty()) {
            throw new InvalidVersionException(name(), evr, "the version is empty");
        }
        if (version.indexOf('-') >= 0) {
            throw new InvalidVersionException(name(), evr, "the version may not contain '-'");
        }
        if (release != null && release.isEmpty()) {
            throw new InvalidVersionException(name(), evr, "the release after the last '-' is empty");
        }
        return new Evr(epoch, version, release);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int one = 0;
        int two = 0;
        while (at(a, one) != 0 || at(b, two) != 0) {
            while (at(a, one) != 0 && !isDigit(at(a, one)) && !isAlpha(at(a, one)) && at(a, one) != '~'
                    && at(a, one) != '^') {
                one++;
            }
            while (at(b, two) != 0 && !isDigit(at(b, two)) && !isAlpha(at(b, two)) && at(b, two) != '~'
                    && at(b, two) != '^') {
                two++;
            }
            char c1 = at(a, one);
            char c2 = at(b, two);
            if (c1 == '~' || c2 == '~') {
                if (c1 != '~') {
                    return 1;
                }
                if (c2 != '~') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (c1 == '^' || c2 == '^') {
                if (c1 == 0) {
                    return -1;
                }
                if (c2 == 0) {
                    return 1;
                }
                if (c1 != '^') {
                    return 1;
                }
                if (c2 != '^') {
                    return -1;
                }
                one++;
                two++;
                continue;
            }
            if (c1 == 0 || c2 == 0) {
                break;
            }
            int str1 = one;
            int str2 = two;
            boolean isnum = isDigit(c1);
            if (isnum) {
                while (isDigit(at(a, str1))) {
                    str1++;
                }
                while (isDigit(at(b, str2))) {
                    str2++;
                }
            } else {
                while (isAlpha(at(a, str1))) {
                    str1++;
                }
                while (isAlpha(at(b, str2))) {
                    str2++;
                }
            }
            if (two == str2) {
                return isnum ? 1 : -1;
            }
            String seg1 = a.substring(one, str1);
            String seg2 = b.substring(two, str2);
            if (isnum) {
                seg1 = stripZeros(seg1);
                seg2 = stripZeros(seg2);
                if (seg1.length() != seg2.length()) {
                    return seg1.length() > seg2.length() ? 1 : -1;
                }
            }
            int rc = seg1.compareTo(seg2);
            if (rc != 0) {
                return rc < 0 ? -1 : 1;
            }
            one = str1;
            two = str2;
        }
        if (at(a, one) == 0 && at(b, two) == 0) {
            return 0;
        }
        return at(a, one) == 0 ? -1 : 1;
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
