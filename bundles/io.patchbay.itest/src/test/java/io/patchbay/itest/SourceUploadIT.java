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

    /** Runs a JDK tool (keytool, jarsigner) and fails with its output when it fails. */
    private static void tool(String name, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", name).toString());
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), name + ": " + output);
    }

    /** A key pair named {@code alias} in a new PKCS#12 keystore, and its certificate exported as PEM. */
    private static java.nio.file.Path[] signer(java.nio.file.Path dir, String alias) throws Exception {
        java.nio.file.Path keystore = dir.resolve(alias + ".p12");
        java.nio.file.Path cert = dir.resolve(alias + ".pem");
        tool("keytool", "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + alias + ",O=Patchbay tests", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "secret", "-keypass", "secret");
        tool("keytool", "-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass",
                "secret", "-file", cert.toString());
        return new java.nio.file.Path[] { keystore, cert };
    }

    private static byte[] signed(byte[] jar, java.nio.file.Path keystore, String alias, java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path unsigned = dir.resolve("unsigned-" + System.nanoTime() + ".jar");
        java.nio.file.Path out = dir.resolve("signed-" + System.nanoTime() + ".jar");
        java.nio.file.Files.write(unsigned, jar);
        tool("jarsigner", "-keystore", keystore.toString(), "-storepass", "secret", "-signedjar", out.toString(),
                unsigned.toString(), alias);
        return java.nio.file.Files.readAllBytes(out);
    }

    /** The jar with one byte added to its component description, its signature files kept as they were. */
    private static byte[] tampered(byte[] jar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(jar));
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;) {
                byte[] content = in.readAllBytes();
                if (e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                    content = java.util.Arrays.copyOf(content, content.length + 1);
                    content[content.length - 1] = ' ';
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void withTrustedCertificatesOnlyJarsTheySignedAreTakenAndTheSignerIsAudited(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path[] vendor = signer(dir, "vendor");
        java.nio.file.Path[] stranger = signer(dir, "stranger");
        byte[] jar = Fixtures.testSource("1.0.1");
        byte[] byVendor = signed(jar, vendor[0], "vendor", dir);
        System.setProperty("patchbay.plugins.trustedCertificates", vendor[1].toString());
        try {
            assertRefused(jar, "not signed");
            assertRefused(signed(jar, stranger[0], "stranger", dir), "not a signer this server trusts");
            assertRefused(tampered(byVendor), "does not match its content");
            Http.Answer a = upload(byVendor);
            assertEquals(200, a.status(), a.body());
            assertEquals("1.0.1", a.json().get("bundleVersion").asText());
        } finally {
            System.clearProperty("patchbay.plugins.trustedCertificates");
        }
        com.fasterxml.jackson.databind.JsonNode audited = Http.get("/audit?entity=source&entityId=test").json()
                .get("items").get(0);
        assertEquals("replace", audited.get("action").asText(), audited.toString());
        com.fasterxml.jackson.databind.JsonNode after = Http.JSON.readTree(audited.get("after").asText());
        assertTrue(after.get("signer").asText().contains("CN=vendor"), after.toString());
        assertEquals(64, after.get("sha256").asText().length(), after.toString());
    }

    @Test
    void onlyAnAdminMayReplaceASourceBundle() throws Exception {
        String operator = Http.issue("uploader-" + System.nanoTime(), io.patchbay.api.security.Role.OPERATOR);
        Http.Answer a = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/sources/test/bundle"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Fixtures.testSource("1.0.1"))));
        assertEquals(403, a.status(), a.body());
        assertEquals("1.0.0", sources.source("test").orElseThrow().bundleVersion, "nothing was replaced");
    }
}
