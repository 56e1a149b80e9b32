package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;

class LocalHostTest {
    @TempDir
    Path root;

    @Test
    void runsACommandWithTheCLocaleAndItsOwnEnvironment() throws Exception {
        LocalHost host = new LocalHost(root);
        CommandResult r = host.run(Command.of("sh", "-c", "echo \"$LC_ALL $GREETING\"; echo oops >&2; exit 3")
                .env("GREETING", "hello"));
        assertEquals(3, r.exitCode());
        assertEquals("C hello\n", r.stdout());
        assertEquals("oops\n", r.stderr());
        assertFalse(r.succeeded());
    }

    @Test
    void feedsStandardInput() throws Exception {
        CommandResult r = new LocalHost(root).run(Command.of("tr", "a-z", "A-Z").stdin("patch tuesday"));
        assertEquals("PATCH TUESDAY", r.stdout());
    }

    @Test
    void killsACommandThatOutlivesItsTimeout() throws Exception {
        long start = System.nanoTime();
        CommandResult r = new LocalHost(root).run(Command.of("sleep", "30").timeout(Duration.ofMillis(200)));
        assertTrue(r.timedOut());
        assertFalse(r.succeeded());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void killsTheCommandWhenTheCallerIsInterrupted() throws Exception {
        Path marker = root.resolve("pid");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                new LocalHost(root).run(Command.of("sh", "-c", "echo $$ > " + marker + "; exec sleep 30"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long end = System.currentTimeMillis() + 5000;
        while (!(Files.exists(marker) && Files.size(marker) > 0) && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(marker).trim());
        t.interrupt();
        t.join(5000);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        assertTrue(process.isEmpty() || !process.get().isAlive(), "the command still runs");
    }

    @Test
    void readsFilesInsideItsRootAndRefusesPathsOutsideIt() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        LocalHost host = new LocalHost(root);
        assertEquals(Optional.of("ID=debian\nVERSION_ID=\"12\"\n"), host.readFile("/etc/os-release"));
        assertEquals(Optional.empty(), host.readFile("/etc/missing"));
        assertTrue(host.exists("/etc"));
        assertEquals(List.of("os-release"), host.list("/etc"));
        assertEquals(List.of(), host.list("/nowhere"));
        assertThrows(IOException.class, () -> host.readFile("/../../etc/passwd"));
        assertThrows(IOException.class, () -> host.readFile("relative/path"));
        assertEquals(Map.of("ID", "debian", "VERSION_ID", "12"), LocalDevice.osRelease(host));
    }

    @Test
    void aMissingProgramIsAnIOException() {
        assertThrows(IOException.class, () -> new LocalHost(root).run(Command.of("/no/such/program")));
    }
}
