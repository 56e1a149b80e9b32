package io.patchbay.store.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.osgi.framework.Bundle;

/**
 * The migration scripts of this bundle, found with the bundle API: class-path scanning cannot list folders inside a
 * bundle on every framework.
 */
final class BundleMigrations implements ResourceProvider {
    static final String FOLDER = "db/migration";
    private final Bundle bundle;

    BundleMigrations(Bundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public LoadableResource getResource(String name) {
        URL url = bundle.getEntry(FOLDER + "/" + name);
        return url == null ? null : new Script(url, name);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> out = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries(FOLDER, prefix + "*", false);
        for (URL url : entries == null ? List.<URL>of() : Collections.list(entries)) {
            String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            for (String suffix : suffixes) {
                if (name.endsWith(suffix)) {
                    out.add(new Script(url, name));
                    break;
                }
            }
        }
        return out;
    }

    private static final class Script extends LoadableResource {
        private final URL url;
        private final String name;

        Script(URL url, String name) {
            this.url = url;
            this.name = name;
        }

        @Override
        public Reader read() {
            try {
                return new InputStreamReader(url.openStream(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return url.toString();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
