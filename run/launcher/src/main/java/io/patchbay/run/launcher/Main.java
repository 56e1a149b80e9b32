package io.patchbay.run.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The runnable jar's entry point, before bnd's embedded launcher: keeps the framework storage in the data folder
 * across starts, and refuses at once to start on an HTTP port another process holds.
 */
public final class Main {
    static final String DATA = "patchbay.data";
    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    /** bnd's launcher reads these from system properties before its embedded launcher.properties. */
    static final String STORAGE = "launch.storage.dir";
    static final String KEEP = "launch.keep";
    static final String FRAMEWORK_STORAGE = "org.osgi.framework.storage";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        Properties launch = launchProperties();
        keepStorageInDataFolder(System.getProperties());
        String problem = portProblem(setting(launch, HOST, "127.0.0.1"), setting(launch, PORT, "8080"));
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
            probe.bind(new InetSocketAddress(host, number));
            return null;
        } catch (BindException e) {
            return "port " + number + " on " + host + " is already in use by another process (" + PORT
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
