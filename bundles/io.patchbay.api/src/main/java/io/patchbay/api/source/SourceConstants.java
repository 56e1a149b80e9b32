package io.patchbay.api.source;

/** Names shared by the core and the source plugins. */
public final class SourceConstants {
    /** Service property: the source type, e.g. {@code apt}, {@code dnf}, {@code wsus}. */
    public static final String SOURCE_TYPE = "patchbay.source.type";
    /** Service property: the stable instance id; defaults to the type when a bundle offers one instance. */
    public static final String SOURCE_ID = "patchbay.source.id";
    /** Service property: the platforms served ({@code windows}, {@code macos}, {@code linux}). */
    public static final String SOURCE_PLATFORMS = "patchbay.source.platforms";
    /** Capability namespace a bundle uses to say which source types it provides. */
    public static final String CAPABILITY_NAMESPACE = "io.patchbay.source";

    public static final String PLATFORM_WINDOWS = "windows";
    public static final String PLATFORM_MACOS = "macos";
    public static final String PLATFORM_LINUX = "linux";

    private SourceConstants() {
    }
}
