package io.patchbay.api.source;

import java.util.regex.Pattern;

/**
 * The grammars of package names, versions and update ids in each ecosystem, so that a source hands its package tool
 * only operands the tool cannot read as options ({@code --admindir=x}, {@code -oDPkg::Pre-Invoke::=...}). Each
 * {@code problem...} method returns null for a valid value, else a reason that names the value and the grammar.
 */
public final class PackageNames {
    /** Debian policy 5.6.1: lower case letters, digits, {@code + - .}; at least two characters, starting alphanumeric. */
    private static final Pattern DEB_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9][a-z0-9-]*)?");
    private static final Pattern DEB_UPSTREAM = Pattern.compile("[0-9][A-Za-z0-9.+~:-]*");
    private static final Pattern DEB_REVISION = Pattern.compile("[A-Za-z0-9+.~]+");
    /** rpm package names (and dnf's name.arch): letters, digits, {@code . _ + -}, never starting with - or . */
    private static final Pattern RPM_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*");
    /** rpm EVR: [epoch:]version[-release], version and release without - and starting alphanumeric. */
    private static final Pattern RPM_EVR = Pattern
            .compile("([0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+~^]*(-[A-Za-z0-9][A-Za-z0-9._+~^]*)?");
    private static final Pattern KB = Pattern.compile("KB[0-9]{1,9}");
    /** winget's PackageIdentifier (manifest schema 1.x): 2 to 8 dot-separated segments of 1 to 32 characters. */
    private static final String WINGET_SEGMENT = "[^.\\s\\\\/:*?\"<>|\\x00-\\x1f]{1,32}";
    private static final Pattern WINGET_ID = Pattern.compile(WINGET_SEGMENT + "(\\." + WINGET_SEGMENT + "){1,7}");
    /** An id a catalog gives an application: no white space, path or shell characters, never starting with - or . */
    private static final Pattern CATALOG_ID = Pattern.compile("[^-.\\s\\\\/:*?\"<>|\\x00-\\x1f][^\\s\\\\/:*?\"<>|\\x00-\\x1f]{0,127}");

    private PackageNames() {
    }

    public static boolean isDebianName(String name) {
        return name != null && DEB_NAME.matcher(name).matches();
    }

    /** Debian policy 5.6.12: [epoch:]upstream_version[-debian_revision]. */
    public static boolean isDebianVersion(String version) {
        if (version == null || version.isEmpty()) {
            return false;
        }
        String rest = version;
        int colon = rest.indexOf(':');
        boolean epoch = colon >= 0;
        if (epoch) {
            String e = rest.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            rest = rest.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        if (dash >= 0) {
            if (!DEB_REVISION.matcher(rest.substring(dash + 1)).matches()) {
                return false;
            }
            rest = rest.substring(0, dash);
        }
        return DEB_UPSTREAM.matcher(rest).matches() && (epoch || rest.indexOf(':') < 0);
    }

    public static boolean isRpmName(String name) {
        return name != null && RPM_NAME.matcher(name).matches();
    }

    public static boolean isRpmEvr(String evr) {
        return evr != null && RPM_EVR.matcher(evr).matches();
    }

    /** A Microsoft Knowledge Base article id, as Windows Update names its updates: {@code KB5034441}. */
    public static boolean isKb(String id) {
        return id != null && KB.matcher(id).matches();
    }

    /** A winget PackageIdentifier such as {@code Mozilla.Firefox} or {@code Microsoft.VisualStudio.2022.Community}. */
    public static boolean isWingetId(String id) {
        return id != null && id.length() <= 128 && WINGET_ID.matcher(id).matches();
    }

    /** The id of a catalog or of an application in a catalog. */
    public static boolean isCatalogId(String id) {
        return id != null && CATALOG_ID.matcher(id).matches();
    }

    /** Why a Debian package name or version cannot be handed to apt or dpkg; null when both are valid. */
    public static String problemDebian(String name, String version) {
        if (!isDebianName(name)) {
            return "'" + name + "' is not a valid Debian package name (lower case letters, digits, + - . and at least "
                    + "two characters, starting with a letter or digit); no package tool was run for it";
        }
        if (version != null && !isDebianVersion(version)) {
            return "'" + version + "' is not a valid Debian version ([epoch:]upstream[-revision], upstream starting "
                    + "with a digit) for " + name + "; no package tool was run for it";
        }
        return null;
    }

    /** Why an rpm package name or EVR cannot be handed to rpm, dnf or yum; null when both are valid. */
    public static String problemRpm(String name, String evr) {
        if (!isRpmName(name)) {
            return "'" + name + "' is not a valid rpm package name (letters, digits, . _ + -, starting with a letter, "
                    + "digit or _); no package tool was run for it";
        }
        if (evr != null && !isRpmEvr(evr)) {
            return "'" + evr + "' is not a valid rpm version ([epoch:]version[-release]) for " + name
                    + "; no package tool was run for it";
        }
        return null;
    }
}
