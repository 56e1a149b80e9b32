package io.patchbay.thirdparty.winget;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.catalog.AppCatalog;
import io.patchbay.api.catalog.AppDTO;

/**
 * A catalog of the winget manifests in a folder, or in a zip archive at an HTTP location (such as an archive of the
 * winget package repository). One instance per factory configuration {@value #PID}.
 */
@Component(service = AppCatalog.class, configurationPid = WingetCatalog.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = WingetCatalog.Config.class, factory = true)
public class WingetCatalog implements AppCatalog {
    static final String PID = "io.patchbay.thirdparty.winget";
    private static final Logger LOG = LoggerFactory.getLogger(WingetCatalog.class);

    @ObjectClassDefinition(name = "winget catalog", description = "Applications from winget manifests")
    public @interface Config {
        @AttributeDefinition(description = "Catalog id, unique in the server")
        String id() default "winget";

        @AttributeDefinition(description = "Catalog name for operators")
        String name() default "winget manifests";

        @AttributeDefinition(description = "A folder of manifests, or an http(s) URL of a zip archive of them")
        String location();

        @AttributeDefinition(description = "Minutes before the manifests are read again")
        int refreshMinutes() default 60;
    }

    private final Config config;
    private List<AppDTO> apps;
    private Instant readAt;

    @Activate
    public WingetCatalog(Config config) {
        this.config = config;
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public synchronized List<AppDTO> apps() throws IOException, InterruptedException {
        if (apps == null || readAt.plus(Duration.ofMinutes(Math.max(1, config.refreshMinutes())))
                .isBefore(Instant.now())) {
            ManifestReader.Result read = load();
            read.warnings().forEach(w -> LOG.warn("winget catalog '{}': {}", config.id(), w));
            apps = List.copyOf(read.apps());
            readAt = Instant.now();
            LOG.info("winget catalog '{}': {} application(s) from {}", config.id(), apps.size(), config.location());
        }
        return apps;
    }

    private ManifestReader.Result load() throws IOException, InterruptedException {
        String location = config.location();
        if (location.startsWith("http://") || location.startsWith("https://")) {
            Path dir = Files.createTempDirectory("winget-manifests");
            try {
                unzip(fetch(URI.create(location)), dir);
                return ManifestReader.read(dir);
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Path folder = Path.of(location);
        if (!Files.isDirectory(folder)) {
            throw new IOException("location: '" + location + "' is neither a folder nor an http(s) URL");
        }
        return ManifestReader.read(folder);
    }

    private static InputStream fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("location: " + uri + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** Unpacks a zip archive, refusing entries that would land outside the folder. */
    static void unzip(InputStream archive, Path dir) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(archive)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                Path to = dir.resolve(e.getName()).normalize();
                if (!to.startsWith(dir)) {
                    throw new IOException("the archive entry '" + e.getName() + "' points outside the archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(zip, to);
                }
            }
        }
    }
}
