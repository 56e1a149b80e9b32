package io.patchbay.api.version;

/**
 * Versions of period-separated decimal numbers, compared number by number with missing parts as 0: Windows file and
 * product versions ({@code 10.0.22631.3007}) and macOS versions ({@code 14.2.1}, the form Apple documents for
 * {@code CFBundleShortVersionString}).
 */
final class DottedNumericScheme implements VersionScheme {
    private final String name;

    DottedNumericScheme(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void validate(String version) {
        parts(version);
    }

    private String[] parts(String v) {
        if (v == null || v.isEmpty()) {
            throw new InvalidVersionException(name, v, "it is empty");
        }
        String[] parts = v.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty() || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidVersionException(name, v, "expected numbers separated by periods, like 10.0.22631.3007");
            }
        }
        return parts;
    }

    @Override
    public int compare(String a, String b) {
        String[] x = parts(a);
        String[] y = parts(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? strip(x[i]) : "";
            String q = i < y.length ? strip(y[i]) : "";
            int c = SemverScheme.compareNumeric(p, q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String strip(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        String s = digits.substring(i);
        return s.equals("0") ? "" : s;
    }
}
