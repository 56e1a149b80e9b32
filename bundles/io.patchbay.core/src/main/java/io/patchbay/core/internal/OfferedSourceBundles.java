package io.patchbay.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.agent.SourceBundleDTO;
import io.patchbay.api.agent.SourceBundles;
import io.patchbay.api.source.SourceConstants;

/**
 * The source bundles agents get: every bundle installed in the server that provides the {@code io.patchbay.source}
 * capability (built in, dropped into the plugins folder, uploaded, or replaced with {@code PUT /sources/{id}/bundle}),
 * for the platforms its {@code UpdateSource} services name in {@code patchbay.source.platforms} (or, while it registers
 * none, a {@code platforms} attribute of its capability). The test source is left out unless
 * {@value #OFFER_TEST_SOURCE} is true.
 * <p>
 * The bytes are those of the bundle's current revision: the copy the framework keeps in its storage when it has one,
 * otherwise what the bundle was installed from (a file, or a jar embedded in the runnable jar). They are read once per
 * bundle id and last-modified time and kept in memory with their SHA-256, so a download is exactly what was hashed.
 * The list for a platform is made again at most once a second: a bundle replaced reaches the next check-ins after it.
 */
@Component(service = SourceBundles.class)
public class OfferedSourceBundles implements SourceBundles {
    private static final Logger LOG = LoggerFactory.getLogger(OfferedSourceBundles.class);
    static final String OFFER_TEST_SOURCE = "patchbay.agent.offerTestSource";
    static final String TEST_SOURCE = "io.patchbay.test.source";

    private record Jar(long bundleId, long lastModified, byte[] bytes, String sha256) {
    }

    private final BundleContext context;
    private final boolean offerTestSource;
    private final Map<Long, Jar> jars = new ConcurrentHashMap<>();
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    static final long OFFER_FOR_NANOS = 1_000_000_000L;

    private record Offer(long madeAt, List<SourceBundleDTO> bundles) {
    }

    @Activate
    public OfferedSourceBundles(BundleContext context) {
        this.context = context;
        this.offerTestSource = Boolean.parseBoolean(context.getProperty(OFFER_TEST_SOURCE));
    }

    @Override
    public List<SourceBundleDTO> forPlatform(String platform) {
        // check-ins come by the thousand a second: the list is made at most once a second per platform
        long now = System.nanoTime();
        Offer known = offers.get(platform);
        if (known != null && now - known.madeAt() < OFFER_FOR_NANOS) {
            return known.bundles();
        }
        List<SourceBundleDTO> offered = List.copyOf(offered(platform));
        if (offers.size() < 16) {
            offers.put(platform, new Offer(now, offered));
        }
        return offered;
    }

    private List<SourceBundleDTO> offered(String platform) {
        List<SourceBundleDTO> offered = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            offer(b).filter(d -> d.platforms.contains(platform)).ifPresent(offered::add);
        }
        offered.sort(Comparator.comparing((SourceBundleDTO d) -> d.symbolicName).thenComparing(d -> d.version));
        return offered;
    }

    @Override
    public Optional<InputStream> open(String symbolicName, String version) throws IOException {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && version.equals(b.getVersion().toString())
                    && offer(b).isPresent()) {
                Jar jar = jars.get(b.getBundleId());
                if (jar != null) {
                    return Optional.of(new ByteArrayInputStream(jar.bytes()));
                }
            }
        }
        return Optional.empty();
    }

    /** What the bundle is as agents see it, when it is a source bundle the server offers. */
    private Optional<SourceBundleDTO> offer(Bundle b) {
        if ((b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0
                || TEST_SOURCE.equals(b.getSymbolicName()) && !offerTestSource) {
            return Optional.empty();
        }
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return Optional.empty();
        }
        List<BundleCapability> capabilities = revision.getDeclaredCapabilities(SourceConstants.CAPABILITY_NAMESPACE);
        if (capabilities.isEmpty()) {
            return Optional.empty();
        }
        Set<String> types = new TreeSet<>();
        Set<String> platforms = new TreeSet<>();
        for (BundleCapability c : capabilities) {
            strings(c.getAttributes().get(SourceConstants.CAPABILITY_NAMESPACE)).forEach(types::add);
            strings(c.getAttributes().get("platforms")).forEach(platforms::add);
        }
        ServiceReference<?>[] services = b.getRegisteredServices();
        if (services != null) {
            Set<String> registered = new TreeSet<>();
            for (ServiceReference<?> s : services) {
                strings(s.getProperty(SourceConstants.SOURCE_PLATFORMS)).forEach(registered::add);
            }
            if (!registered.isEmpty()) {
                platforms = registered;
            }
        }
        Jar jar = jar(b);
        if (jar == null) {
            return Optional.empty();
        }
        SourceBundleDTO d = new SourceBundleDTO();
        d.symbolicName = b.getSymbolicName();
        d.version = b.getVersion().toString();
        d.sha256 = jar.sha256();
        d.size = jar.bytes().length;
        d.sourceTypes = List.copyOf(types);
        d.platforms = List.copyOf(platforms);
        return Optional.of(d);
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return Stream.of(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** The bundle's jar and its hash, read again only when the bundle changed. */
    private Jar jar(Bundle b) {
        long modified = b.getLastModified();
        Jar known = jars.get(b.getBundleId());
        if (known != null && known.lastModified() == modified) {
            return known;
        }
        try {
            byte[] bytes = bytes(b);
            if (bytes == null) {
                LOG.warn("The jar of source bundle {} {} cannot be found (location {}); agents are not offered it",
                        b.getSymbolicName(), b.getVersion(), b.getLocation());
                return null;
            }
            Jar jar = new Jar(b.getBundleId(), modified, bytes, sha256(bytes));
            jars.put(b.getBundleId(), jar);
            return jar;
        } catch (IOException | RuntimeException e) {
            LOG.warn("The jar of source bundle {} {} cannot be read: {}", b.getSymbolicName(), b.getVersion(),
                    e.toString());
            return null;
        }
    }

    private byte[] bytes(Bundle b) throws IOException {
        Optional<Path> stored = stored(b);
        if (stored.isPresent()) {
            return Files.readAllBytes(stored.get());
        }
        String location = b.getLocation();
        if (location.startsWith("reference:")) {
            location = location.substring("reference:".length());
        }
        if (location.startsWith("file:")) {
            return Files.readAllBytes(Path.of(URI.create(location)));
        }
        Path path = Path.of(location);
        if (Files.isRegularFile(path)) {
            return Files.readAllBytes(path);
        }
        // bnd's launcher installs the bundles embedded in the runnable jar from its class path
        try (InputStream in = ClassLoader.getSystemResourceAsStream(location)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /**
     * Felix keeps a copy of each revision's jar in its storage ({@code bundle<id>/version<n>.<revision>/bundle.jar}):
     * after an update from a stream it is the only place the current bytes are.
     */
    private Optional<Path> stored(Bundle b) throws IOException {
        String storage = context.getProperty("org.osgi.framework.storage");
        Path root = Path.of(storage == null || storage.isBlank() ? "felix-cache" : storage)
                .resolve("bundle" + b.getBundleId());
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> revisions = Files.list(root)) {
            return revisions.filter(p -> p.getFileName().toString().matches("version[0-9]+\\.[0-9]+"))
                    .filter(p -> Files.isRegularFile(p.resolve("bundle.jar")))
                    .max(Comparator.comparingLong(OfferedSourceBundles::revision))
                    .map(p -> p.resolve("bundle.jar"));
        }
    }

    private static long revision(Path p) {
        String[] parts = p.getFileName().toString().substring("version".length()).split("\\.");
        return Long.parseLong(parts[0]) * 1_000_000L + Long.parseLong(parts[1]);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
