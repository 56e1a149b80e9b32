package io.patchbay.api.version;

/**
 * Debian versions, {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg's {@code verrevcmp}: epochs
 * numerically, then upstream, then revision; within each, runs of non-digits compare character by character with
 * {@code ~} before everything (even the end), letters before other characters, and runs of digits numerically. A
 * missing revision equals {@code 0}.
 */
final class DebVersionScheme implements VersionScheme {

    private record Parsed(long epoch, String upstream, String revision) {
    }

    @Override
    public String name() {
        return VersionSchemes.DEB;
    }

    @Override
    public int compare(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) {
            return c;
        }
        c = verrevcmp(x.upstream, y.upstream);
        return c != 0 ? c : verrevcmp(x.revision, y.revision);
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    private Parsed parse(String v) {
        if (v == null || v.isEmpty()) {
            throw new InvalidVersionException(name(), v, "it is empty");
        }
        String s = v.strip();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                throw new InvalidVersionException(name(), v, "it contains white space");
            }
        }
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new InvalidVersionException(name(), v, "the epoch must be a number");
            }
            try {
                epoch = Long.parseLong(e);
            } catch (NumberFormatException ex) {
                throw new InvalidVersionException(name(), v, "the epoch is too big");
            }
            if (epoch > Integer.MAX_VALUE) {
                throw new InvalidVersionException(name(), v, "the epoch is too big");
            }
            s = s.substring(colon + 1);
            if (s.isEmpty()) {
                throw new InvalidVersionException(name(), v, "nothing follows the epoch");
            }
        }
        int hyphen = s.lastIndexOf('-');
        String upstream = hyphen >= 0 ? s.substring(0, hyphen) : s;
        String revision = hyphen >= 0 ? s.substring(hyphen + 1) : "";
        if (upstream.isEmpty()) {
            throw new InvalidVersionException(name(), v, "the upstream version is empty");
        }
        if (hyphen >= 0 && revision.isEmpty()) {
            throw new InvalidVersionException(name(), v, "the revision after the last '-' is empty");
        }
        if (upstream.charAt(0) < '0' || upstream.charAt(0) > '9') {
            throw new InvalidVersionException(name(), v, "the upstream version must start with a digit");
        }
        for (char ch : upstream.toCharArray()) {
            if (!(isAsciiAlnum(ch) || ".+~-:".indexOf(ch) >= 0)) {
                throw new InvalidVersionException(name(), v, "'" + ch + "' may not appear in an upstream version");
            }
        }
        for (char ch : revision.toCharArray()) {
            if (!(isAsciiAlnum(ch) || ".+~".indexOf(ch) >= 0)) {
                throw new InvalidVersionException(name(), v, "'" + ch + "' may not appear in a revision");
            }
        }
        return new Parsed(epoch, upstream, revision);
    }

    private static boolean isAsciiAlnum(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** dpkg's order of a character in a non-digit run; 0 stands for the end of the string. */
    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        }
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c == 0 ? 0 : c + 256;
    }

    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        int n = a.length();
        int m = b.length();
        while (i < n || j < m) {
            int firstDiff = 0;
            while (i < n && !isDigit(a.charAt(i)) || j < m && !isDigit(b.charAt(j))) {
                int ac = order(i < n ? a.charAt(i) : 0);
                int bc = order(j < m ? b.charAt(j) : 0);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < n && a.charAt(i) == '0') {
                i++;
            }
            while (j < m && b.charAt(j) == '0') {
                j++;
            }
            while (i < n && isDigit(a.charAt(i)) && j < m && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < n && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < m && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }
}
