package io.patchbay.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.DataFolder;

/**
 * Makes sure the data folder and the plugins folder exist, and says where they are. Both are given relative to the
 * working directory unless absolute: {@code patchbay.data} (default {@code data}) and {@code felix.fileinstall.dir}
 * (default {@code plugins}), as system properties or framework properties.
 */
@Component(immediate = true, service = DataFolder.class)
public class Folders implements DataFolder {
    public static final String DATA = "patchbay.data";
    public static final String PLUGINS = "felix.fileinstall.dir";
    private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

    private final Path data;
    private final Path plugins;

    @Activate
    public Folders(BundleContext context) throws IOException {
        this.data = folder(context, DATA, "data");
        this.plugins = folder(context, PLUGINS, "plugins");
        LOG.info("Data folder: {}", data);
        LOG.info("Plugins folder: {} (drop source bundles here; they are installed, updated and removed as the "
                + "files are)", plugins);
    }

    @Override
    public Path path() {
        return data;
    }

    private static Path folder(BundleContext context, String property, String fallback) throws IOException {
        String value = context.getProperty(property);
        Path path = Path.of(value == null || value.isBlank() ? fallback : value).toAbsolutePath().normalize();
        Files.createDirectories(path);
        return path;
    }
}
