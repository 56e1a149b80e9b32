package io.patchbay.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;

/** The test source bundle, carried inside the test bundle, in any version the test needs. */
final class Fixtures {
    static final String TEST_SOURCE_BSN = "io.patchbay.test.source";

    private Fixtures() {
    }

    /** The test source jar with its Bundle-Version set to {@code version}. */
    static byte[] testSource(String version) throws IOException {
        return jar("fixtures/test-source.jar", version);
    }

    /** The winget catalog plugin jar, as built in plugins-thirdparty, with its Bundle-Version set. */
    static byte[] wingetPlugin(String version) throws IOException {
        return jar("fixtures/winget-catalog.jar", version);
    }

    /** A bundle jar the test bundle carries, with its Bundle-Version set to {@code version}. */
    static byte[] jar(String path, String version) throws IOException {
        URL entry = FrameworkUtil.getBundle(Fixtures.class).getEntry(path);
        if (entry == null) {
            throw new IllegalStateException("the test bundle carries no " + path);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream raw = entry.openStream(); JarInputStream in = new JarInputStream(raw)) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    jar.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    static Bundle install(BundleContext context, String version) throws IOException, BundleException {
        Bundle b = context.installBundle("itest:test-source", new ByteArrayInputStream(testSource(version)));
        b.start();
        return b;
    }

    /** Installs the test source 1.0.0 and waits until the API lists it: its instance is the source {@code test}. */
    static Bundle installTestSource(BundleContext context) throws Exception {
        Bundle bundle = install(context, "1.0.0");
        Await.until("the test source over HTTP", java.time.Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return bundle;
    }

    static void update(Bundle bundle, String version) throws IOException, BundleException {
        bundle.update(new ByteArrayInputStream(testSource(version)));
    }
}
