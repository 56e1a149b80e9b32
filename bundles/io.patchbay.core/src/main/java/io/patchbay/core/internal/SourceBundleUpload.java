package io.patchbay.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.source.SourceConstants;

/**
 * Decides from an uploaded jar alone, before anything is drained or installed, whether it may replace the bundle of a
 * source: it must be a bundle (not a fragment, not a platform bundle) that provides an update source or an app
 * catalog, with the symbolic name of the bundle it replaces.
 */
final class SourceBundleUpload {
    static final String FIELD = "bundle";
    private static final String UPDATE_SOURCE = "io.patchbay.api.source.UpdateSource";
    private static final String APP_CATALOG = "io.patchbay.api.catalog.AppCatalog";
    /** Bundles of the platform itself: replacing one of them runs foreign code in place of the server. */
    private static final List<String> PLATFORM_PREFIXES = List.of("io.patchbay.", "org.apache.felix.",
            "org.eclipse.jetty.", "org.apache.cxf.", "org.apache.aries.", "org.osgi.", "org.eclipse.osgi");
    /** Patchbay's own names that are plugins: sources, vendor catalogs, the test source. */
    private static final List<String> PLUGIN_PREFIXES = List.of("io.patchbay.source.", "io.patchbay.thirdparty.",
            "io.patchbay.test.source");

    private final byte[] jar;
    private final Manifest manifest;
    private final Map<String, String> entries;

    private SourceBundleUpload(byte[] jar, Manifest manifest, Map<String, String> entries) {
        this.jar = jar;
        this.manifest = manifest;
        this.entries = entries;
    }

    /**
     * Reads the upload and checks it.
     *
     * @param replacedName the symbolic name of the bundle that provides the source now
     * @param systemName the symbolic name of the framework (the system bundle)
     * @return the jar's bytes, to install
     * @throws InvalidInputException with the reason when the jar may not replace the source's bundle
     */
    static byte[] check(InputStream upload, String sourceId, String replacedName, String systemName) {
        SourceBundleUpload u = read(upload);
        u.check(sourceId, replacedName, systemName);
        return u.jar;
    }

    /** A jar checked to be added as a new plugin: its bytes, symbolic name and version. */
    record NewPlugin(byte[] jar, String name, String version) {
    }

    /**
     * Reads an upload of a new plugin and checks it as {@link #check} does, without a bundle it replaces.
     *
     * @throws InvalidInputException with the reason when the jar may not be added
     */
    static NewPlugin checkNew(InputStream upload, String systemName) {
        SourceBundleUpload u = read(upload);
        String name = u.check(null, null, systemName);
        String version = u.manifest.getMainAttributes().getValue("Bundle-Version");
        return new NewPlugin(u.jar, name, version == null ? "0.0.0" : version.strip());
    }

    private static SourceBundleUpload read(InputStream upload) {
        byte[] jar;
        try {
            jar = upload.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a body over the limit stays a 413, not a bad jar
        }
        if (jar.length == 0) {
            throw new InvalidInputException(FIELD, null, "the request body is empty; send the bundle jar");
        }
        Manifest manifest = null;
        Map<String, String> components = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            boolean any = false;
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                any = true;
                if (e.getName().equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(zip.readAllBytes()));
                } else if (e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                    components.put(e.getName(), new String(limited(zip), StandardCharsets.UTF_8));
                }
            }
            if (!any) {
                throw new InvalidInputException(FIELD, null, "the body is not a jar (zip) file");
            }
        } catch (ZipException e) {
            throw new InvalidInputException(FIELD, null, "the body is not a jar (zip) file: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException(FIELD, null, "the jar cannot be read: " + e.getMessage());
        }
        if (manifest == null) {
            throw new InvalidInputException(FIELD, null, "the jar has no META-INF/MANIFEST.MF, so it is not a bundle");
        }
        return new SourceBundleUpload(jar, manifest, components);
    }

    private static byte[] limited(ZipInputStream zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = zip.read(buf)) > 0 && out.size() < 1024 * 1024;) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** @return the jar's symbolic name */
    private String check(String sourceId, String replacedName, String systemName) {
        Attributes main = manifest.getMainAttributes();
        String header = main.getValue("Bundle-SymbolicName");
        if (header == null || header.isBlank()) {
            throw new InvalidInputException(FIELD, null, "the jar's manifest has no Bundle-SymbolicName, so it is "
                    + "not a bundle");
        }
        String name = header.split(";", 2)[0].strip();
        if (isPlatform(name, systemName)) {
            throw new InvalidInputException(FIELD, name, "is a platform bundle; only bundles that provide an update "
                    + "source or an app catalog can be uploaded");
        }
        String host = main.getValue("Fragment-Host");
        if (host != null) {
            throw new InvalidInputException(FIELD, name, "is a fragment (Fragment-Host: " + host.strip()
                    + "); a fragment attaches to another bundle and cannot be uploaded as a source");
        }
        if (!providesSourceOrCatalog(main)) {
            throw new InvalidInputException(FIELD, name, "provides neither an update source nor an app catalog (no "
                    + SourceConstants.CAPABILITY_NAMESPACE + " capability and no component offering "
                    + UPDATE_SOURCE + " or " + APP_CATALOG + ")");
        }
        if (replacedName != null && !name.equals(replacedName)) {
            throw new InvalidInputException(FIELD, name, "the Bundle-SymbolicName does not match " + replacedName
                    + ", the bundle of source '" + sourceId + "' that it would replace");
        }
        return name;
    }

    static boolean isPlatform(String name, String systemName) {
        if (name.equals("system.bundle") || name.equals(systemName)) {
            return true;
        }
        if (PLUGIN_PREFIXES.stream().anyMatch(p -> name.startsWith(p) || name.equals(p))) {
            return false;
        }
        return PLATFORM_PREFIXES.stream().anyMatch(p -> name.startsWith(p) || (p.endsWith(".")
                && name.equals(p.substring(0, p.length() - 1))));
    }

    private boolean providesSourceOrCatalog(Attributes main) {
        for (String clause : clauses(main.getValue("Provide-Capability"))) {
            String namespace = clause.split(";", 2)[0].strip();
            if (namespace.equals(SourceConstants.CAPABILITY_NAMESPACE)) {
                return true;
            }
            if (namespace.equals("osgi.service") && (clause.contains(UPDATE_SOURCE) || clause.contains(APP_CATALOG))) {
                return true;
            }
        }
        for (String path : clauses(main.getValue("Service-Component"))) {
            String xml = entries.get(path.split(";", 2)[0].strip());
            if (xml != null && (xml.contains("\"" + UPDATE_SOURCE + "\"") || xml.contains("\"" + APP_CATALOG + "\"")
                    || xml.contains("'" + UPDATE_SOURCE + "'") || xml.contains("'" + APP_CATALOG + "'"))) {
                return true;
            }
        }
        return false;
    }

    /** The clauses of a manifest header, split at the commas outside quoted strings. */
    static List<String> clauses(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '\\' && quoted && i + 1 < header.length()) {
                cur.append(c).append(header.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
