package io.patchbay.api.catalog;

/**
 * How to find the installed version of an application on a device. Set {@link #kind} and the fields that kind uses.
 */
public class DetectionDTO {
    /** Windows: an entry of Apps and Features (the Uninstall registry keys); version from {@code DisplayVersion}. */
    public static final String WINDOWS_UNINSTALL = "windows-uninstall";
    /** macOS: an application bundle; version from {@code CFBundleShortVersionString} of its {@code Info.plist}. */
    public static final String MACOS_BUNDLE = "macos-bundle";
    /** Linux: an installed deb or rpm package; version from the package database. */
    public static final String LINUX_PACKAGE = "linux-package";
    /** Any platform: a file whose text holds the version, found with {@link #versionPattern}. */
    public static final String FILE = "file";

    public String kind;
    /** WINDOWS_UNINSTALL: {@code DisplayName} pattern with {@code *} wildcards, case-insensitive. */
    public String displayName;
    /** WINDOWS_UNINSTALL: {@code Publisher}, when set it must match exactly (case-insensitive). */
    public String publisher;
    /** WINDOWS_UNINSTALL: the MSI product code, e.g. {@code {23170F69-40C1-2702-2301-000001000000}}. */
    public String productCode;
    /** MACOS_BUNDLE: {@code CFBundleIdentifier}, e.g. {@code org.mozilla.firefox}. */
    public String bundleId;
    /** MACOS_BUNDLE: where the bundle is; default {@code /Applications/<name>.app}, else searched in /Applications. */
    public String bundlePath;
    /** LINUX_PACKAGE: the package name. */
    public String packageName;
    /** FILE: absolute path of the file on the device. */
    public String path;
    /** FILE: regular expression whose first group is the version; default: the whole file, trimmed. */
    public String versionPattern;
}
