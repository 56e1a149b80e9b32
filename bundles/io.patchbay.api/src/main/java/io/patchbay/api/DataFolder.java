package io.patchbay.api;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the server keeps its data (the embedded database, caches, logs): {@code patchbay.data}, by default
 * {@code data} in the working directory. It exists once the service is registered.
 */
@ProviderType
public interface DataFolder {
    /** The folder, absolute. */
    Path path();
}
