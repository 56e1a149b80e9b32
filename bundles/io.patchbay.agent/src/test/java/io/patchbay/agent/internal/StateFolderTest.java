package io.patchbay.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFolderTest {
    @TempDir
    Path dir;

    @Test
    void theSecretIsReadableByItsOwnerOnlyAndTheFolderToo() throws Exception {
        StateFolder s = new StateFolder(dir.resolve("state"), ServerClient.mapper());
        s.enrolled("dev-1", "the-secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("state").resolve(StateFolder.SECRET))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))));
        StateFolder again = new StateFolder(dir.resolve("state"), ServerClient.mapper());
        assertEquals("dev-1", again.deviceId().orElseThrow());
        assertEquals("the-secret", again.secret().orElseThrow());
        try (var files = Files.list(dir.resolve("state"))) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void anExistingFolderIsMadeOwnerOnly() throws Exception {
        Path state = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        new StateFolder(state, ServerClient.mapper());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void theSequenceGrowsAcrossStartsAndIsNeverReused() throws Exception {
        StateFolder s = new StateFolder(dir, ServerClient.mapper());
        assertEquals(1, s.nextSequence());
        assertEquals(2, s.nextSequence());
        assertEquals(3, new StateFolder(dir, ServerClient.mapper()).nextSequence());
    }

    @Test
    void forgettingTheEnrollmentRemovesIdAndSecret() throws Exception {
        StateFolder s = new StateFolder(dir, ServerClient.mapper());
        s.enrolled("dev-1", "x");
        s.forgetEnrollment();
        assertTrue(s.deviceId().isEmpty());
        assertTrue(s.secret().isEmpty());
    }

    @Test
    void aJobEndsOnlyUnderItsOwnId() throws Exception {
        StateFolder s = new StateFolder(dir, ServerClient.mapper());
        StateFolder.JobInProgress j = new StateFolder.JobInProgress();
        j.jobId = "a";
        s.jobStarted(j);
        s.jobEnded("b");
        assertEquals("a", s.job().orElseThrow().jobId);
        s.jobEnded("a");
        assertTrue(s.job().isEmpty());
    }

    @Test
    void aDamagedJobFileIsDroppedNotFatal() throws Exception {
        StateFolder s = new StateFolder(dir, ServerClient.mapper());
        Files.writeString(dir.resolve(StateFolder.JOB), "{not json");
        assertTrue(s.job().isEmpty());
    }
}
