package io.patchbay.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;
import io.patchbay.api.source.Host;

/**
 * The server's own machine as a {@link Host}, optionally rooted in a folder so that sources can be run against a
 * package database inside it. Commands run as the server's user; output is kept up to a limit per stream.
 */
public final class LocalHost implements Host {
    static final int MAX_OUTPUT = 8 * 1024 * 1024;

    private final Path root;

    public LocalHost(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String root() {
        return root.toString();
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(command.environment());
        pb.redirectInput(command.stdin() == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();
        ProcessOutputReader out = new ProcessOutputReader(process.getInputStream());
        ProcessOutputReader err = new ProcessOutputReader(process.getErrorStream());
        out.start();
        err.start();
        try {
            if (command.stdin() != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(command.stdin().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the command closed its input early; what it printed still tells what happened
                }
            }
            boolean ended = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                kill(process);
            }
            out.join(5_000);
            err.join(5_000);
            return new CommandResult(ended ? process.exitValue() : -1, out.text(), err.text(), !ended);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public Optional<String> readFile(String path) throws IOException {
        try {
            return Optional.of(Files.readString(resolve(path), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String path) throws IOException {
        return Files.exists(resolve(path));
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path dir = resolve(path);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A device path inside the root; a path that climbs out of the root is refused. */
    Path resolve(String devicePath) throws IOException {
        if (devicePath == null || !devicePath.startsWith("/")) {
            throw new IOException("path: must be absolute on the device (was '" + devicePath + "')");
        }
        Path p = root.resolve(devicePath.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("path: '" + devicePath + "' is outside the device root");
        }
        return p;
    }

    /** Reads a stream to its end on its own thread, keeping at most {@link #MAX_OUTPUT} bytes. */
    private static final class ProcessOutputReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean truncated;

        ProcessOutputReader(InputStream in) {
            super("patchbay-command-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (this) {
                        int room = MAX_OUTPUT - buffer.size();
                        if (room > 0) {
                            buffer.write(chunk, 0, Math.min(n, room));
                        }
                        truncated |= n > room;
                    }
                }
            } catch (IOException e) {
                // the process was killed; keep what was read
            }
        }

        synchronized String text() {
            String s = buffer.toString(StandardCharsets.UTF_8);
            return truncated ? s + "\n[output truncated at " + MAX_OUTPUT + " bytes]" : s;
        }
    }
}
