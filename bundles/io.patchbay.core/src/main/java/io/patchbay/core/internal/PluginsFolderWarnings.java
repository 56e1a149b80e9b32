package io.patchbay.core.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, once per file version, why a jar in the plugins folder is not installed. FileInstall passes over
 * a jar that is not a bundle without a word; as one of its listeners, this sees each such jar and declines to handle
 * it, so FileInstall's own behaviour does not change.
 */
@Component(service = ArtifactInstaller.class)
public class PluginsFolderWarnings implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(PluginsFolderWarnings.class);

    /** The jars warned about, with the size and time of the version warned about. */
    private final Map<Path, String> warned = new ConcurrentHashMap<>();

    @Override
    public boolean canHandle(File artifact) {
        if (!artifact.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".jar") || !artifact.isFile()) {
            return false;
        }
        warned.keySet().removeIf(p -> !Files.exists(p));
        Path path = artifact.toPath().toAbsolutePath();
        String stamp = artifact.length() + "@" + artifact.lastModified();
        if (stamp.equals(warned.get(path))) {
            return false; // FileInstall asks again on every poll: say it once per version of the file
        }
        String reason = whyNotABundle(artifact);
        if (reason == null) {
            warned.remove(path);
        } else {
            warned.put(path, stamp);
            LOG.warn("Plugins folder: {} is not installed: {}", path, reason);
        }
        return false;
    }

    /** Why the file is not a bundle FileInstall would install, or null when it is one. */
    static String whyNotABundle(File jar) {
        try (JarFile file = new JarFile(jar)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return "it is a jar without META-INF/MANIFEST.MF, so not a bundle";
            }
            String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null || name.isBlank()) {
                return "its manifest has no Bundle-SymbolicName, so it is not a bundle";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "it is not a readable jar (zip) file (" + e.getMessage() + ")";
        }
    }

    @Override
    public void install(File artifact) {
        // never called: this listener handles no file
    }

    @Override
    public void update(File artifact) {
        // never called: this listener handles no file
    }

    @Override
    public void uninstall(File artifact) {
        // never called: this listener handles no file
    }
}
