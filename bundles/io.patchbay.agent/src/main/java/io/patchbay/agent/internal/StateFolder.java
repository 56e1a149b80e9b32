package io.patchbay.agent.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The agent's state folder ({@code --state}): the device id, its secret (a file only the agent's user can read), the
 * check-in sequence, the job in progress and the source bundles installed from the server. Every file is written
 * whole to a temporary file, flushed to disk and moved into place, so a crash or {@code kill -9} leaves the old
 * content or the new, never half of it.
 */
final class StateFolder {
    static final String DEVICE_ID = "device-id";
    static final String SECRET = "device-secret";
    static final String SEQUENCE = "sequence";
    static final String JOB = "job.json";
    static final String BUNDLES = "bundles.json";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** The job the agent runs, written before it starts and removed once its end is acknowledged. */
    static final class JobInProgress {
        public String jobId;
        public String claimId;
        public String sourceId;
        public Instant startedAt;
        /** The machine's boot time when the job started: another one at the next start means it rebooted. */
        public Instant bootTime;
    }

    /** What the agent knows of a source bundle it installed or checked. */
    static final class BundleRecord {
        public String version;
        public String sha256;
        /** The bundle's last-modified time when recorded: another one means it changed since (the launcher updated it). */
        public long lastModified;
    }

    private final Path dir;
    private final ObjectMapper json;

    StateFolder(Path dir, ObjectMapper json) throws IOException {
        this.dir = dir;
        this.json = json;
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (POSIX) {
            try {
                // the folder holds the device secret: the agent's user only
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException | SecurityException e) {
                // not ours to change; the secret's own file is owner-only regardless
            }
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("the state folder " + dir + " is not writable by this user");
        }
    }

    Path dir() {
        return dir;
    }

    Optional<String> deviceId() throws IOException {
        return read(DEVICE_ID);
    }

    Optional<String> secret() throws IOException {
        return read(SECRET);
    }

    /** Keeps the device id and its secret; the secret's file is created readable by the owner only. */
    void enrolled(String deviceId, String secret) throws IOException {
        write(SECRET, secret.getBytes(StandardCharsets.UTF_8), true);
        write(DEVICE_ID, deviceId.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Forgets the device id and secret, so the agent enrolls again. */
    void forgetEnrollment() throws IOException {
        Files.deleteIfExists(dir.resolve(DEVICE_ID));
        Files.deleteIfExists(dir.resolve(SECRET));
    }

    /** The next check-in's sequence number, kept on disk before it is sent, so no number is ever sent twice. */
    long nextSequence() throws IOException {
        long last = read(SEQUENCE).map(s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
        long next = last + 1;
        write(SEQUENCE, Long.toString(next).getBytes(StandardCharsets.US_ASCII), false);
        return next;
    }

    Optional<JobInProgress> job() throws IOException {
        Path f = dir.resolve(JOB);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(f.toFile(), JobInProgress.class));
        } catch (IOException e) {
            // written atomically, so this is damage from outside: the job cannot be named, the server's reaper ends it
            Files.deleteIfExists(f);
            return Optional.empty();
        }
    }

    void jobStarted(JobInProgress job) throws IOException {
        write(JOB, json.writeValueAsBytes(job), false);
    }

    /** The job's end was acknowledged (or the server no longer holds it for this agent). */
    void jobEnded(String jobId) throws IOException {
        Optional<JobInProgress> job = job();
        if (job.isPresent() && jobId.equals(job.get().jobId)) {
            Files.deleteIfExists(dir.resolve(JOB));
        }
    }

    Map<String, BundleRecord> bundles() throws IOException {
        Path f = dir.resolve(BUNDLES);
        if (!Files.isRegularFile(f)) {
            return new LinkedHashMap<>();
        }
        try {
            return new LinkedHashMap<>(json.readValue(f.toFile(),
                    json.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, BundleRecord.class)));
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }

    void bundles(Map<String, BundleRecord> records) throws IOException {
        write(BUNDLES, json.writeValueAsBytes(records), false);
    }

    private Optional<String> read(String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String s = Files.readString(f, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** Writes a file whole: temporary file (owner-only when secret), fsync, atomic move, fsync of the folder. */
    void write(String name, byte[] content, boolean secret) throws IOException {
        Path target = dir.resolve(name);
        Path tmp;
        if (POSIX) {
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r-----");
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
            tmp = Files.createTempFile(dir, name, ".tmp", attr);
            // the umask may have taken bits away, never added: set exactly these
            Files.setPosixFilePermissions(tmp, perms);
        } else {
            tmp = Files.createTempFile(dir, name, ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(content);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void syncFolder() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens a folder (Windows); the file itself is on disk
        }
    }
}
