package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Sources;
import io.patchbay.api.dto.SourceDTO;

/**
 * {@code PUT /sources/{id}/bundle} refuses, before anything is drained or installed, every jar that is not a bundle
 * providing an update source or app catalog with the name of the bundle it replaces.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class SourceUploadIT {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    Sources sources;

    private Bundle fixture;

    @BeforeEach
    void installTestSource() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("source test", LIMIT, () -> sources.source("test").orElse(null));
    }

    @AfterEach
    void uninstall() throws Exception {
        if (fixture.getState() != Bundle.UNINSTALLED) {
            fixture.uninstall();
        }
    }

    /** The test source jar with manifest headers set (null removes one) and only the entries kept. */
    static byte[] testSourceWith(Map<String, String> headers, Predicate<String> keep) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(Fixtures.testSource("1.0.1")))) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            headers.forEach((k, v) -> {
                if (v == null) {
                    main.remove(new Attributes.Name(k));
                } else {
                    main.put(new Attributes.Name(k), v);
                }
            });
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    if (keep.test(e.getName())) {
                        jar.putNextEntry(new JarEntry(e.getName()));
                        in.transferTo(jar);
                        jar.closeEntry();
                    }
                }
            }
        }
        return out.toByteArray();
    }

    static byte[] testSourceNamed(String symbolicName) throws IOException {
        return testSourceWith(Map.of("Bundle-SymbolicName", symbolicName), e -> true);
    }

    private static Http.Answer upload(byte[] jar) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/sources/test/bundle?waitSeconds=20"))
                .header("Content-Type", "application/java-archive").PUT(HttpRequest.BodyPublishers.ofByteArray(jar)));
    }

    /** A 400 problem whose detail says why, and the source, its bundle and the framework as they were. */
    private void assertRefused(byte[] jar, String why) throws Exception {
        int bundlesBefore = context.getBundles().length;
        Http.Answer a = upload(jar);
        assertEquals(400, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        String detail = a.json().get("detail").asText();
        assertTrue(detail.contains(why), detail);
        assertEquals("bundle", a.json().get("field").asText(), a.body());
        assertEquals(bundlesBefore, context.getBundles().length, "nothing was installed");
        SourceDTO source = sources.source("test").orElseThrow();
        assertEquals("1.0.0", source.bundleVersion, "the source's bundle was not touched");
        assertEquals("ACTIVE", source.state, "the source was not left drained");
        assertEquals(Bundle.ACTIVE, fixture.getState());
    }

    @Test
    void aJarNamedAfterTheCoreIsRefused() throws Exception {
        assertRefused(testSourceNamed("io.patchbay.core"), "'io.patchbay.core'");
        assertRefused(testSourceNamed("io.patchbay.core"), "is a platform bundle");
    }

    @Test
    void jarsNamedAfterFelixBundlesAreRefused() throws Exception {
        assertRefused(testSourceNamed("org.apache.felix.scr"), "is a platform bundle");
        assertRefused(testSourceNamed("org.apache.felix.framework"), "is a platform bundle");
        assertRefused(testSourceNamed("system.bundle"), "is a platform bundle");
    }

    @Test
    void jarsNamedAfterJettyCxfOrAriesAreRefused() throws Exception {
        assertRefused(testSourceNamed("org.eclipse.jetty.server"), "is a platform bundle");
        assertRefused(testSourceNamed("org.apache.cxf.cxf-core"), "is a platform bundle");
        assertRefused(testSourceNamed("org.apache.aries.jax.rs.whiteboard"), "is a platform bundle");
        assertRefused(testSourceNamed("io.patchbay.rest"), "is a platform bundle");
    }

    @Test
    void aFragmentIsRefused() throws Exception {
        assertRefused(testSourceWith(Map.of("Fragment-Host", "io.patchbay.core"), e -> true), "is a fragment");
    }

    @Test
    void aBundleThatProvidesNoSourceIsRefused() throws Exception {
        byte[] jar = testSourceWith(Map.of("Provide-Capability", "osgi.identity;osgi.identity=other"),
                e -> !e.startsWith("OSGI-INF/"));
        assertRefused(jar, "provides neither an update source nor an app catalog");
        Map<String, String> noHeaders = new java.util.HashMap<>();
        noHeaders.put("Provide-Capability", null);
        noHeaders.put("Service-Component", null);
        assertRefused(testSourceWith(noHeaders, e -> true), "provides neither an update source nor an app catalog");
    }

    @Test
    void aSourceBundleWithAnotherNameIsRefused() throws Exception {
        assertRefused(testSourceNamed("io.patchbay.source.other"), "does not match io.patchbay.test.source");
    }

    @Test
    void whatIsNotABundleIsRefused() throws Exception {
        assertRefused("not a jar".getBytes(), "not a jar");
        assertRefused(new byte[0], "empty");
        Map<String, String> noName = new java.util.HashMap<>();
        noName.put("Bundle-SymbolicName", null);
        assertRefused(testSourceWith(noName, e -> true), "no Bundle-SymbolicName");
    }

    @Test
    void theSameSourceBundleInANewVersionReplacesIt() throws Exception {
        Http.Answer a = upload(Fixtures.testSource("1.0.1"));
        assertEquals(200, a.status(), a.body());
        assertEquals("1.0.1", a.json().get("bundleVersion").asText());
        assertEquals("ACTIVE", a.json().get("state").asText());
    }
}
