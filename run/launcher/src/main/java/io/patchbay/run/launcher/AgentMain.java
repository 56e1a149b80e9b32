package io.patchbay.run.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The agent jar's entry point: {@code java -jar patchbay-agent.jar --server URL --token TOKEN --state DIR [--root DIR]
 * [--allow-plain-http] [--pin-sha256 HEX]}, or {@code --config FILE} with the same keys as properties
 * ({@code server=...}, {@code token=...}, {@code token-file=...}, ...; the command line wins). A token file that
 * does not exist gives no token: once enrolled the agent needs none. It checks the settings,
 * refuses plain HTTP to a host that is not a loopback address unless allowed, turns them into framework properties for
 * the agent bundle, keeps the framework storage in the state folder, and starts bnd's launcher. Problems are one line
 * on stderr and exit status 2.
 */
public final class AgentMain {
    static final String PREFIX = "patchbay.agent.";
    static final List<String> KEYS = List.of("server", "token", "token-file", "state", "root", "allow-plain-http",
            "pin-sha256");

    private AgentMain() {
    }

    public static void main(String[] args) throws Throwable {
        Map<String, String> settings;
        try {
            settings = parse(args, AgentMain::readConfig);
        } catch (IllegalArgumentException e) {
            System.err.println("Patchbay agent cannot start: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (settings.containsKey("help")) {
            System.out.println(usage());
            return;
        }
        String problem = problem(settings, AgentMain::addresses);
        Path state = Path.of(settings.getOrDefault("state", "")).toAbsolutePath().normalize();
        if (problem == null) {
            problem = Main.dataFolderProblem(state);
        }
        if (problem != null) {
            System.err.println("Patchbay agent cannot start: " + problem);
            System.exit(2);
            return;
        }
        Properties system = System.getProperties();
        apply(settings, state, system);
        try {
            Class.forName("aQute.launcher.pre.EmbeddedLauncher").getMethod("main", String[].class).invoke(null,
                    (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static String usage() {
        return "usage: java -jar patchbay-agent.jar --server URL --token TOKEN --state DIR [--root DIR] "
                + "[--allow-plain-http] [--pin-sha256 HEX] | --config FILE";
    }

    /**
     * The settings from the command line over those of {@code --config FILE}.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static Map<String, String> parse(String[] args, Function<String, Properties> config) {
        Map<String, String> cli = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                cli.put("help", "true");
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("allow-plain-http")) {
                cli.put(key, value == null ? "true" : value);
                continue;
            }
            if (!key.equals("config") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            if (key.equals("config")) {
                configFile = value;
            } else {
                cli.put(key, value);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (configFile != null) {
            Properties p = config.apply(configFile);
            for (String k : p.stringPropertyNames()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown key '" + k + "' in " + configFile + " (known: "
                            + String.join(", ", KEYS) + ")");
                }
                out.put(k, p.getProperty(k).strip());
            }
        }
        out.putAll(cli);
        if (out.containsKey("token-file")) {
            String file = out.remove("token-file");
            if (!cli.containsKey("token") && Files.exists(Path.of(file))) {
                // a token file removed after the enrollment is fine: the agent then uses its device secret
                out.put("token", readToken(file));
            }
        }
        return out;
    }

    private static String readToken(String file) {
        try {
            String t = Files.readString(Path.of(file)).strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("the token file " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("the token file " + file + " cannot be read: " + e.getMessage());
        }
    }

    static Properties readConfig(String file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("the config file " + file + " cannot be read: " + e.getMessage());
        }
        return p;
    }

    /** Why the agent cannot start with these settings, or null. */
    static String problem(Map<String, String> s, Function<String, InetAddress[]> resolver) {
        String server = s.get("server");
        if (server == null || server.isBlank()) {
            return "--server URL is required (e.g. https://patchbay.example.com)";
        }
        if (s.get("state") == null || s.get("state").isBlank()) {
            return "--state DIR is required: the folder that keeps the device id and secret";
        }
        URI uri;
        try {
            uri = new URI(server.strip());
        } catch (URISyntaxException e) {
            return "--server '" + server + "' is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return "--server '" + server + "' must be an http:// or https:// URL with a host";
        }
        String pin = s.get("pin-sha256");
        if (pin != null && !pin.replace(":", "").matches("[0-9a-fA-F]{64}")) {
            return "--pin-sha256 '" + pin + "' must be the 64 hex digits of the SHA-256 of the server's public key";
        }
        if (s.get("root") != null && !Files.isDirectory(Path.of(s.get("root")))) {
            return "--root '" + s.get("root") + "' is not a folder";
        }
        boolean allowPlain = Boolean.parseBoolean(s.getOrDefault("allow-plain-http", "false"));
        if (scheme.equals("http") && !allowPlain) {
            String host = Main.hostPart(uri.getHost());
            InetAddress[] all = resolver.apply(host);
            boolean loopback = all.length > 0;
            for (InetAddress a : all) {
                loopback &= a.isLoopbackAddress();
            }
            if (!loopback) {
                return "plain HTTP to " + server + " is refused: " + host + " is not a loopback address, and the "
                        + "device secret would cross the network in clear text. Use https://, or add "
                        + "--allow-plain-http when the network is trusted";
            }
        }
        return null;
    }

    static InetAddress[] addresses(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return new InetAddress[0];
        }
    }

    /** The settings as the framework properties the agent bundle reads, and the folders inside the state folder. */
    static void apply(Map<String, String> s, Path state, Properties system) {
        system.setProperty(PREFIX + "server", s.get("server").strip());
        if (s.get("token") != null) {
            system.setProperty(PREFIX + "token", s.get("token"));
        }
        system.setProperty(PREFIX + "state", state.toString());
        if (s.get("root") != null) {
            system.setProperty(PREFIX + "root", Path.of(s.get("root")).toAbsolutePath().normalize().toString());
        }
        system.setProperty(PREFIX + "allowPlainHttp", s.getOrDefault("allow-plain-http", "false"));
        if (s.get("pin-sha256") != null) {
            system.setProperty(PREFIX + "pinSha256", s.get("pin-sha256"));
        }
        // the core's data folder (catalog downloads) and the logs live in the state folder; its plugins folder is
        // unused on a device (sources come from the server)
        system.setProperty(Main.DATA, state.resolve("data").toString());
        system.setProperty("felix.fileinstall.dir", state.resolve("plugins").toString());
        system.setProperty(Main.FRAMEWORK_STORAGE, state.resolve("framework").toString());
        Main.keepStorageInDataFolder(system);
    }
}
