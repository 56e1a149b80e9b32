package io.patchbay.api.catalog;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A catalog of third-party applications. Register it as an OSGi service (a Declarative Services component is the
 * simplest way); Patchbay picks it up when it arrives and drops it when it leaves, while the server runs.
 * <p>
 * Implementations must be thread-safe. Patchbay calls {@link #apps()} on its own threads, typically once per scan or
 * install; return what you have (a cached list is fine) and do your refreshing in your own time.
 */
@ConsumerType
public interface AppCatalog {

    /** A stable identifier, unique among catalogs, e.g. {@code winget-community}. */
    String id();

    /** A name for operators, e.g. {@code winget community repository}. */
    String name();

    /**
     * Every application the catalog offers now.
     *
     * @throws Exception when the catalog cannot be read at all; Patchbay reports it and carries on with the others
     */
    List<AppDTO> apps() throws Exception;
}
