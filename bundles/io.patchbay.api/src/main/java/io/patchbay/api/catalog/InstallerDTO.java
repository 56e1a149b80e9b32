package io.patchbay.api.catalog;

import java.util.List;

/** One installer of a release, for one platform and architecture. */
public class InstallerDTO {
    public static final String MSI = "msi";
    public static final String EXE = "exe";
    public static final String MSIX = "msix";
    public static final String PKG = "pkg";
    public static final String DMG = "dmg";
    public static final String DEB = "deb";
    public static final String RPM = "rpm";
    public static final String ZIP = "zip";
    public static final String PORTABLE = "portable";

    /** {@code windows}, {@code macos} or {@code linux}. */
    public String platform;
    /** {@code x64}, {@code x86}, {@code arm64} or {@code neutral}. */
    public String architecture;
    /** Where to download it: {@code https:}, {@code http:} or {@code file:}. */
    public String url;
    /** SHA-256 of the file, hexadecimal; an installer whose download does not match is never run. */
    public String sha256;
    /** One of the constants of this class. */
    public String type;
    /** Arguments for an unattended install; Patchbay adds the usual ones for msi. */
    public String silentArgs;
    /** Arguments for an unattended uninstall. */
    public String uninstallArgs;
    /** Exit codes that mean success; empty means {@code 0}. */
    public List<Integer> successCodes;
    /** Exit codes that mean success with a reboot needed; empty means {@code 3010} and {@code 1641}. */
    public List<Integer> rebootCodes;
    /** {@code machine} or {@code user}. */
    public String scope;
    /** For {@code zip} and {@code portable}: the folder to unpack or copy into on the device. */
    public String installLocation;
    /**
     * For {@code zip}: the type of the installer inside the archive ({@code exe} or {@code msi}), which is extracted and
     * run with {@link #silentArgs}; null when the archive's content is simply unpacked.
     */
    public String nestedInstallerType;
    /** For {@code zip} with a {@link #nestedInstallerType}: the installer's path inside the archive, with / or \. */
    public String nestedInstallerFile;
}
