package io.patchbay.agent.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.patchbay.api.agent.AgentIdentityDTO;

/**
 * Who this machine is, read the way the server expects (see {@link AgentIdentityDTO}). With a device root (a
 * folder-rooted device) the files are read under it, so several agents on one machine are several devices.
 */
final class Identity {
    private Identity() {
    }

    static AgentIdentityDTO read(Path root) {
        Path r = root == null ? Path.of("/") : root;
        AgentIdentityDTO id = new AgentIdentityDTO();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        id.osFamily = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : "linux";
        id.osName = System.getProperty("os.name");
        id.osVersion = System.getProperty("os.version");
        id.machineId = file(r, "etc/machine-id").orElse(null);
        String uuid = file(r, "sys/class/dmi/id/product_uuid").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        id.hardwareId = uuid != null ? uuid : id.machineId;
        id.serial = file(r, "sys/class/dmi/id/product_serial").orElse(null);
        if (id.osFamily.equals("linux")) {
            Map<String, String> release = osRelease(r);
            id.osName = release.getOrDefault("ID", id.osName);
            id.osVersion = release.getOrDefault("VERSION_ID", id.osVersion);
        }
        id.hostname = root != null ? file(r, "etc/hostname").orElseGet(Identity::hostname) : hostname();
        id.architecture = System.getProperty("os.arch");
        id.timeZone = ZoneId.systemDefault().getId();
        id.addresses = root != null ? List.of() : addresses();
        return id;
    }

    /** When the machine booted: Linux's {@code btime} in {@code /proc/stat}, else the JVM's estimate from uptime. */
    static Instant bootTime() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    return Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        // the init process started at boot on Unix-like systems
        return ProcessHandle.of(1).flatMap(p -> p.info().startInstant()).map(i -> i.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS)).orElse(null);
    }

    static Optional<String> file(Path root, String relative) {
        try {
            Path f = root.resolve(relative);
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                return Optional.empty();
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> osRelease(Path root) {
        String text = file(root, "etc/os-release").or(() -> file(root, "usr/lib/os-release")).orElse("");
        return text.lines().map(String::strip).filter(l -> l.contains("=") && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                        l -> unquote(l.substring(l.indexOf('=') + 1)), (a, b) -> b));
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }

    private static List<String> addresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        String s = a.getHostAddress();
                        int zone = s.indexOf('%');
                        out.add(zone < 0 ? s : s.substring(0, zone));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // none readable
        }
        return out;
    }
}
