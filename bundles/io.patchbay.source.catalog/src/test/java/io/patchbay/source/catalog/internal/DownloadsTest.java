package io.patchbay.source.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadsTest {
    @TempDir
    Path dir;

    @Test
    void downloadsOnceAndRefusesAWrongHash() throws Exception {
        Path installer = dir.resolve("tool-1.0.zip");
        Files.writeString(installer, "the installer");
        String sha = Downloads.sha256(installer);
        Downloads downloads = new Downloads(dir.resolve("cache"));
        Path first = downloads.fetch(installer.toUri().toString(), sha.toUpperCase(), Duration.ofSeconds(10));
        assertEquals(sha, Downloads.sha256(first));
        assertTrue(first.getFileName().toString().endsWith("tool-1.0.zip"));
        Files.delete(installer);
        assertEquals(first, downloads.fetch(installer.toUri().toString(), sha, Duration.ofSeconds(10)),
                "served from the cache");

        Path other = dir.resolve("tool-2.0.zip");
        Files.writeString(other, "a tampered installer");
        Downloads.Refused refused = assertThrows(Downloads.Refused.class,
                () -> downloads.fetch(other.toUri().toString(), "0".repeat(64), Duration.ofSeconds(10)));
        assertTrue(refused.getMessage().contains("nothing was run"), refused.getMessage());
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of(first), files.toList(), "a refused download leaves nothing behind");
        }
        assertTrue(assertThrows(Downloads.Refused.class, () -> downloads.fetch(other.toUri().toString(), "abc",
                Duration.ofSeconds(10))).getMessage().contains("no valid SHA-256"));
        assertTrue(assertThrows(Downloads.Refused.class, () -> downloads.fetch("ftp://example.invalid/x", sha,
                Duration.ofSeconds(10))).getMessage().contains("neither http"));
    }

    @Test
    void splitsInstallerArgumentsLikeAShell() {
        assertEquals(List.of("/VERYSILENT", "/DIR=C:\\Program Files\\Tool", "/NORESTART"),
                Installers.split("/VERYSILENT \"/DIR=C:\\Program Files\\Tool\"  /NORESTART"));
        assertEquals(List.of(), Installers.split("  "));
    }
}
