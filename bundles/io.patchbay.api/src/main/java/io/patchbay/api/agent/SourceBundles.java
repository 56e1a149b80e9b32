package io.patchbay.api.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The source bundles the server distributes to agents: those installed in the server that provide the
 * {@code io.patchbay.source} capability (built in, dropped into the plugins folder, or uploaded), with their SHA-256.
 * Implemented by the core.
 */
@ProviderType
public interface SourceBundles {
    /** The bundles an agent of this platform ({@code linux}, {@code windows}, {@code macos}) should run. */
    List<SourceBundleDTO> forPlatform(String platform);

    /** The jar of one offered bundle, exactly the bytes whose SHA-256 {@link #forPlatform} gave; empty when not offered. */
    Optional<InputStream> open(String symbolicName, String version) throws IOException;
}
