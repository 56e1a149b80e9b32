package io.patchbay.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.plugin.PluginDTO;
import io.patchbay.api.plugin.Plugins;

/**
 * Adds a new plugin by writing its checked jar, whole and synced, into the plugins folder: the folder stays the one
 * place plugins are installed from, updated and removed.
 */
@Component(service = Plugins.class)
public class PluginUploads implements Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(PluginUploads.class);
    /** How long an answer waits for the plugins folder to install the jar. */
    static final long INSTALL_WAIT_MILLIS = 30_000;

    private final BundleContext context;
    private final Path folder;

    @Activate
    public PluginUploads(BundleContext context) {
        this.context = context;
        String value = context.getProperty(Folders.PLUGINS);
        this.folder = Path.of(value == null || value.isBlank() ? "plugins" : value).toAbsolutePath().normalize();
    }

    @Override
    public PluginDTO add(InputStream upload) throws InterruptedException {
        SourceBundleUpload.NewPlugin plugin = SourceBundleUpload.checkNew(upload,
                context.getBundle(0).getSymbolicName());
        if (!plugin.name().matches("[A-Za-z0-9_.-]{1,200}")) {
            throw new InvalidInputException(SourceBundleUpload.FIELD, plugin.name(), "is not a symbolic name this "
                    + "server writes as a file name (letters, digits, '.', '_', '-')");
        }
        Optional<Bundle> present = installed(plugin.name());
        if (present.isPresent()) {
            throw new InUseException("bundle " + plugin.name() + " " + present.get().getVersion() + " is installed "
                    + "already; replace it with PUT /api/v1/sources/{id}/bundle, or through the plugins folder");
        }
        Path file = folder.resolve(plugin.name() + ".jar");
        if (Files.exists(file)) {
            // a rename would replace it: that is the folder's own update path, not an addition
            throw new InUseException("the plugins folder has a file " + file.getFileName() + " already");
        }
        try {
            Files.createDirectories(folder);
            Path staged = Files.createTempFile(folder.getParent(), plugin.name(), ".part");
            try {
                try (FileChannel out = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                    out.write(java.nio.ByteBuffer.wrap(plugin.jar()));
                    // the answer says the plugin is added: it must survive a crash right after
                    out.force(true);
                }
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(staged);
            }
        } catch (FileAlreadyExistsException e) {
            throw new InUseException("the plugins folder has a file " + file.getFileName() + " already");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plugin to " + file, e);
        }
        LOG.info("Plugin {} {} added to the plugins folder as {}", plugin.name(), plugin.version(), file);
        PluginDTO added = new PluginDTO();
        added.bundle = plugin.name();
        added.bundleVersion = plugin.version();
        added.file = file.toString();
        long end = System.currentTimeMillis() + INSTALL_WAIT_MILLIS;
        while (!(added.installed = installed(plugin.name()).isPresent()) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        return added;
    }

    private Optional<Bundle> installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }
}
