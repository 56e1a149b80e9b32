package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A jar in the plugins folder that is not a bundle is named in the server log with the reason, once. */
class PluginsFolderWarningsIT {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static Path folder;
    private static Path log;
    private final List<String> dropped = new java.util.ArrayList<>();
    /** Where the log stood when the test began: only what the server logs after counts. */
    private long logStart;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
        folder = Path.of(System.getProperty("felix.fileinstall.dir"));
        log = Path.of(System.getProperty("patchbay.data"), "logs", "patchbay.log");
    }

    @AfterEach
    void remove() throws Exception {
        for (String name : dropped) {
            Files.deleteIfExists(folder.resolve(name));
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void markLog() throws Exception {
        logStart = Files.exists(log) ? Files.size(log) : 0;
    }

    private void drop(String name, byte[] content) throws Exception {
        Path staged = Files.createTempFile(folder.getParent(), "staged", ".part");
        Files.write(staged, content);
        Files.move(staged, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        dropped.add(name);
    }

    private List<String> warningsAbout(String name) throws Exception {
        if (!Files.exists(log)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(log);
        String since = new String(all, (int) Math.min(logStart, all.length), all.length - (int) Math.min(logStart,
                all.length), StandardCharsets.UTF_8);
        return since.lines()
                .filter(l -> l.contains(" WARN ") && l.contains(folder.resolve(name).toString())).toList();
    }

    private String awaitWarning(String name) throws InterruptedException {
        return Await.until("a warning naming " + name + " in " + log, LIMIT, () -> {
            try {
                List<String> lines = warningsAbout(name);
                return lines.isEmpty() ? null : lines.get(0);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aJarThatIsNotAZipIsNamedWithTheReason() throws Exception {
        drop("not-a-zip.jar", "this is not a zip file".getBytes());
        String line = awaitWarning("not-a-zip.jar");
        assertTrue(line.contains("is not a readable jar (zip) file"), line);
    }

    @Test
    void aZipWithoutManifestIsNamedWithTheReason() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
            zip.closeEntry();
        }
        drop("no-manifest.jar", bytes.toByteArray());
        String line = awaitWarning("no-manifest.jar");
        assertTrue(line.contains("without META-INF/MANIFEST.MF"), line);
    }

    @Test
    void aPlainJarIsNamedOnceWithTheReason() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Main-Class"), "example.Main");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new ZipEntry("example/readme.txt"));
            jar.write("hello".getBytes());
            jar.closeEntry();
        }
        drop("plain-library.jar", bytes.toByteArray());
        String line = awaitWarning("plain-library.jar");
        assertTrue(line.contains("no Bundle-SymbolicName"), line);
        Thread.sleep(2_000); // several polls of the folder
        assertEquals(1, warningsAbout("plain-library.jar").size(), "said once, not on every poll");
        assertEquals(200, Http.get("/health").status());
    }
}
