package io.patchbay.api.version;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The built-in version schemes by name. */
public final class VersionSchemes {
    public static final String DEB = "deb";
    public static final String RPM = "rpm";
    public static final String SEMVER = "semver";
    public static final String WINDOWS = "windows";
    public static final String MACOS = "macos";
    /** Any version string, ordered as the winget client orders package versions. */
    public static final String WINGET = "winget";

    private static final Map<String, VersionScheme> SCHEMES = Map.of(DEB, new DebVersionScheme(), RPM,
            new RpmVersionScheme(), SEMVER, new SemverScheme(), WINDOWS, new DottedNumericScheme(WINDOWS),
            MACOS, new DottedNumericScheme(MACOS), WINGET, new WingetVersionScheme());

    private VersionSchemes() {
    }

    /**
     * The scheme with that name.
     *
     * @throws IllegalArgumentException naming the known schemes when there is none by that name
     */
    public static VersionScheme get(String name) {
        VersionScheme scheme = name == null ? null : SCHEMES.get(name);
        if (scheme == null) {
            throw new IllegalArgumentException("no version scheme '" + name + "'; known: " + names());
        }
        return scheme;
    }

    public static Set<String> names() {
        return new TreeSet<>(SCHEMES.keySet());
    }
}
