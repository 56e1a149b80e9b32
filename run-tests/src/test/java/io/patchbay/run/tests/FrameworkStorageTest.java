package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The framework keeps its bundles in the data folder: what was replaced at run time stays replaced. */
class FrameworkStorageTest {
    /** The test source jar with its Bundle-Version set to {@code version}. */
    static byte[] testSource(String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream raw = Files.newInputStream(Path.of(System.getProperty("patchbay.test.source")));
                JarInputStream in = new JarInputStream(raw)) {
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

    @Test
    void aSourceReplacedOverRestIsStillReplacedAfterARestart() throws Exception {
        try (Server server = new Server("replace")) {
            server.withTestSource();
            server.start();
            server.await("/sources/test", s -> s.has("bundleVersion"), Duration.ofSeconds(60));
            HttpResponse<String> replaced = server.send(HttpRequest.newBuilder(server.uri("/sources/test/bundle"
                    + "?waitSeconds=30")).timeout(Duration.ofSeconds(90))
                    .header("Content-Type", "application/java-archive")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(testSource("7.0.1"))));
            assertEquals(200, replaced.statusCode(), replaced.body());
            assertEquals("7.0.1", server.getJson("/sources/test").get("bundleVersion").asText());

            server.terminate(AcknowledgedWritesTest.STOP_LIMIT);
            assertTrue(Files.isDirectory(server.data().resolve("framework")), "the framework storage is kept");
            server.start();
            String version = server.await("/sources/test", s -> s.has("bundleVersion"), Duration.ofSeconds(60))
                    .get("bundleVersion").asText();
            assertEquals("7.0.1", version, "the replacement survived the restart");
        }
    }

    @Test
    void aNewerJarReplacesTheBundlesThatChangedAndDropsThoseItNoLongerCarries() throws Exception {
        try (Server server = new Server("newer-jar")) {
            server.start();
            String before = server.getJson("/sources/apt").get("bundleVersion").asText();
            server.terminate(AcknowledgedWritesTest.STOP_LIMIT);

            server.useJar(NewerJar.withBundleVersion(Path.of(System.getProperty("patchbay.jar")),
                    "jar/io.patchbay.source.apt-", "9.0.1", server.home.resolve("patchbay-newer.jar")));
            server.start();
            JsonNode apt = server.await("/sources/apt", s -> s.has("bundleVersion"), Duration.ofSeconds(60));
            assertEquals("9.0.1", apt.get("bundleVersion").asText(), "was " + before + " in the older jar");
            JsonNode all = server.getJson("/sources");
            long apts = 0;
            for (JsonNode s : all.has("items") ? all.get("items") : all) {
                apts += s.get("id").asText().equals("apt") ? 1 : 0;
            }
            assertEquals(1, apts, "the older apt bundle is gone, not standing by: " + all);
        }
    }
}
