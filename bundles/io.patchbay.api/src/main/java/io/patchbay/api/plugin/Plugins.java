package io.patchbay.api.plugin;

import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;

/** Adds a new plugin to the running server, through the plugins folder that installs, updates and removes them. */
@ProviderType
public interface Plugins {
    /**
     * Checks the jar and writes it whole into the plugins folder.
     *
     * @throws io.patchbay.api.InvalidInputException when it is not a bundle providing an update source or app
     *         catalog (a platform bundle, a fragment, anything else); nothing is written
     * @throws io.patchbay.api.InUseException when a bundle with its symbolic name is installed already: replace
     *         that one instead
     */
    PluginDTO add(InputStream jar) throws InterruptedException;
}
