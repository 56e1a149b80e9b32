package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Hot deploy through the plugins folder, as an operator does it: jars copied in, replaced and deleted while the
 * server runs, observed through the REST API over HTTP.
 */
class PluginsFolderIT {
    private static final Logger LOG = LoggerFactory.getLogger(PluginsFolderIT.class);
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static Path folder;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
        folder = Path.of(System.getProperty("felix.fileinstall.dir"));
        assertTrue(Files.isDirectory(folder), "the server created the plugins folder " + folder);
    }

    @AfterEach
    void empty() throws Exception {
        try (var files = Files.list(folder)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Await.until("the test source to leave", LIMIT, () -> testSource().isEmpty());
    }

    /** Copies a file in whole, as a deployment tool would: written elsewhere, then moved into the folder. */
    private static void drop(String name, byte[] content) throws Exception {
        Path staged = Files.createTempFile(folder.getParent(), "staged", ".part");
        Files.write(staged, content);
        Files.move(staged, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static java.util.Optional<JsonNode> testSource() {
        try {
            for (JsonNode s : Http.get("/sources").json()) {
                if (s.get("id").asText().equals("test")) {
                    return java.util.Optional.of(s);
                }
            }
            return java.util.Optional.empty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode awaitVersion(String version) throws InterruptedException {
        return Await.until("test source " + version + " in /sources", LIMIT,
                () -> testSource().filter(s -> s.get("bundleVersion").asText().equals(version)).orElse(null));
    }

    @Test
    void aJarDroppedInTheFolderIsInstalledReplacedAndRemoved() throws Exception {
        long start = System.nanoTime();
        drop("test-source.jar", Fixtures.testSource("1.0.0"));
        JsonNode source = awaitVersion("1.0.0");
        LOG.info("dropped jar visible in /api/v1/sources after {} ms",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertEquals("io.patchbay.test.source", source.get("bundle").asText());
        assertEquals("test", source.get("type").asText());

        drop("test-source.jar", Fixtures.testSource("1.1.0"));
        awaitVersion("1.1.0");

        Files.delete(folder.resolve("test-source.jar"));
        Await.until("the test source to leave", LIMIT, () -> testSource().isEmpty());
    }

    @Test
    void aBrokenJarChangesNothingElse() throws Exception {
        drop("test-source.jar", Fixtures.testSource("1.0.0"));
        awaitVersion("1.0.0");

        drop("broken.jar", "this is not a zip file".getBytes());
        drop("half.jar", java.util.Arrays.copyOf(Fixtures.testSource("2.0.0"), 1000));
        Thread.sleep(2_000); // several polls of the folder

        assertEquals(200, Http.get("/health").status());
        assertEquals("1.0.0", testSource().orElseThrow().get("bundleVersion").asText(),
                "the good plugin is untouched");
    }
}
