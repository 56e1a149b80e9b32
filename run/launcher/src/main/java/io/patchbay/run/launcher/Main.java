package io.patchbay.run.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The runnable jar's entry point, before bnd's embedded launcher: keeps the framework storage in the data folder
 * across starts, and refuses at once to start with plain HTTP on an address other machines can reach (unless a
 * reverse proxy terminates TLS), with HTTPS but no keystore, on a port another process holds, or on a data folder
 * another server uses.
 */
public final class Main {
    static final String DATA = "patchbay.data";
    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    /** A reverse proxy terminates TLS in front of the server; the rest bundle's ListenGuard reads it too. */
    static final String BEHIND_PROXY = "patchbay.http.behindProxy";
    /** Felix HTTP's switches and keystore for plain HTTP and HTTPS. */
    static final String HTTP_ENABLE = "org.apache.felix.http.enable";
    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    static final String KEYSTORE = "org.apache.felix.https.keystore";
    static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    /** bnd's launcher reads these from system properties before its embedded launcher.properties. */
    static final String STORAGE = "launch.storage.dir";
    static final String KEEP = "launch.keep";
    static final String FRAMEWORK_STORAGE = "org.osgi.framework.storage";

    static final String LOCK_FILE = "patchbay.lock";
    /** Held open for the life of the process: the data folder's lock goes with it, even on kill -9. */
    private static FileLock dataFolderLock;

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        Properties launch = launchProperties();
        keepStorageInDataFolder(System.getProperties());
        String host = setting(launch, HOST, null);
        Function<String, String> settings = key -> setting(launch, key, null);
        String problem = keystoreProblem(settings);
        if (problem == null) {
            problem = listenProblem(host, settings, Main::addresses);
        }
        if (problem == null) {
            problem = httpEnabled(settings) ? portProblem(host == null ? "" : host, setting(launch, PORT, "8080"))
                    : portProblem(host == null ? "" : host, setting(launch, SECURE_PORT, "8443"));
        }
        if (problem == null) {
            problem = dataFolderProblem(Path.of(System.getProperty(DATA, "data")).toAbsolutePath().normalize());
        }
        if (problem != null) {
            System.err.println("Patchbay cannot start: " + problem);
            System.exit(2);
        }
        try {
            Class.forName("aQute.launcher.pre.EmbeddedLauncher").getMethod("main", String[].class).invoke(null,
                    (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * The framework keeps its installed bundles in {@code <patchbay.data>/framework} and is not cleaned on start:
     * bundles replaced at run time stay replaced, and bnd's launcher still updates an embedded bundle whose digest
     * changed in a newer jar.
     */
    static void keepStorageInDataFolder(Properties system) {
        String chosen = system.getProperty(FRAMEWORK_STORAGE);
        if (system.getProperty(STORAGE) == null) {
            // bnd's launcher makes its own folder unless told the one the framework uses
            Path data = Path.of(system.getProperty(DATA, "data")).toAbsolutePath().normalize();
            system.setProperty(STORAGE, chosen != null ? chosen : data.resolve("framework").toString());
        }
        if (system.getProperty(KEEP) == null) {
            system.setProperty(KEEP, "true");
        }
    }

    /** Whether plain HTTP is served: Felix HTTP serves it unless told not to. */
    static boolean httpEnabled(Function<String, String> setting) {
        String http = setting.apply(HTTP_ENABLE);
        return http == null || Boolean.parseBoolean(http);
    }

    static boolean httpsEnabled(Function<String, String> setting) {
        return Boolean.parseBoolean(setting.apply(HTTPS_ENABLE));
    }

    /** Whether the network never sees the API in clear text: HTTPS alone, or a reverse proxy in front. */
    static boolean protectsTheNetwork(Function<String, String> setting) {
        return Boolean.parseBoolean(setting.apply(BEHIND_PROXY)) || httpsEnabled(setting) && !httpEnabled(setting);
    }

    /** Why HTTPS cannot start (no keystore, or one that cannot be read), or null when it can or is off. */
    static String keystoreProblem(Function<String, String> setting) {
        if (!httpsEnabled(setting)) {
            return null;
        }
        String keystore = setting.apply(KEYSTORE);
        if (keystore == null || keystore.isBlank()) {
            return HTTPS_ENABLE + "=true needs a keystore: set -D" + KEYSTORE + "=<file> (and " + KEYSTORE
                    + ".password, " + KEYSTORE + ".key.password)";
        }
        Path file = Path.of(keystore);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return "the keystore " + KEYSTORE + "='" + keystore + "' is not a readable file";
        }
        return null;
    }

    /**
     * Why the server must not listen on {@code host}, or null when it may: every address it stands for is a loopback
     * one, or the network sees only HTTPS (plain HTTP off) or a reverse proxy that terminates TLS. No host, an empty
     * one, 0.0.0.0 and :: mean every interface. The resolver gives a name's addresses, none when it does not resolve.
     */
    static String listenProblem(String host, Function<String, String> setting,
            Function<String, InetAddress[]> resolver) {
        if (protectsTheNetwork(setting)) {
            return null;
        }
        String name = hostPart(host == null ? "" : host);
        if (isWildcard(name)) {
            return reachable(host == null ? "every interface (" + HOST + " is not set)"
                    : HOST + "='" + host + "' (every interface)", setting);
        }
        InetAddress[] addresses = resolver.apply(name);
        if (addresses.length == 0) {
            return "the listen address " + HOST + "='" + host + "' does not resolve to an address; set -D" + HOST
                    + "=127.0.0.1";
        }
        if (Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            return null;
        }
        String resolved = Arrays.stream(addresses).map(InetAddress::getHostAddress)
                .filter(a -> !hostPart(a).equals(name)).collect(Collectors.joining(", "));
        return reachable(HOST + "='" + host + "'" + (resolved.isEmpty() ? "" : " (" + resolved + ")"), setting);
    }

    /** The addresses of a host name from DNS and the hosts file; none when it does not resolve. */
    static InetAddress[] addresses(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return new InetAddress[0];
        }
    }

    private static String reachable(String where, Function<String, String> setting) {
        return "it would listen on " + where + ", which other machines can reach, with plain HTTP"
                + (httpsEnabled(setting) ? " beside HTTPS" : "") + ": tokens would cross the network in clear text. Serve "
                + "HTTPS only (-D" + HTTPS_ENABLE + "=true -D" + KEYSTORE + "=<file> -D" + HTTP_ENABLE + "=false), "
                + "or start with -D" + BEHIND_PROXY + "=true when a reverse proxy terminates TLS, or set -D" + HOST
                + "=127.0.0.1";
    }

    /** A host as written in a property: lower case, without brackets around an IPv6 literal or a final dot. */
    static String hostPart(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * Why the server cannot use the data folder, or null when this process now holds it: two servers on one folder
     * would share the framework storage and the embedded database. The lock is the operating system's, so it is
     * released when the process ends however it ends.
     */
    static String dataFolderProblem(Path data) {
        try {
            Files.createDirectories(data);
            FileChannel channel = FileChannel.open(data.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ByteBuffer owner = ByteBuffer.allocate(64);
                channel.read(owner, 0);
                channel.close();
                String pid = new String(owner.array(), 0, owner.position(), StandardCharsets.US_ASCII).strip();
                return "the data folder " + data + " is in use by another Patchbay server"
                        + (pid.isEmpty() ? "" : " (process " + pid + ")") + "; stop it, or start with -D" + DATA
                        + "=<another folder>";
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            dataFolderLock = lock;
            return null;
        } catch (IOException | SecurityException e) {
            return "cannot use the data folder " + data + " (" + DATA + "): " + e.getMessage();
        }
    }

    /** Why the server cannot listen on host:port, or null when it can (port 0 picks a free one). */
    static String portProblem(String host, String port) {
        int number;
        try {
            number = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            return "the HTTP port " + PORT + "='" + port + "' is not a number";
        }
        if (number == 0) {
            return null;
        }
        if (number < 0 || number > 65535) {
            return "the HTTP port " + PORT + "=" + number + " is not from 0 to 65535";
        }
        try (ServerSocket probe = new ServerSocket()) {
            // as Jetty binds: a port left in TIME_WAIT is free
            probe.setReuseAddress(true);
            String name = hostPart(host);
            // Jetty binds an empty or wildcard host to every interface, so the probe does too
            probe.bind(isWildcard(name) ? new InetSocketAddress(number) : new InetSocketAddress(name, number));
            return null;
        } catch (BindException e) {
            return "port " + number + " on " + (host.isBlank() ? "every interface" : host) + " is already in use by another process (" + PORT
                    + "); stop that process or start with -D" + PORT + "=<another port>";
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return "cannot listen on port " + number + " of " + host + ": " + e.getMessage();
        }
    }

    private static String setting(Properties launch, String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = launch.getProperty(key);
        }
        return value == null ? fallback : value;
    }

    /** The run properties bnd's export wrote into the jar. */
    private static Properties launchProperties() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream("launcher.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the launcher reports an unreadable jar itself
        }
        return p;
    }
}
