package io.patchbay.run.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class MainTest {
    /** A hosts table instead of DNS: names resolve as listed, address literals as themselves. */
    private static final Function<String, InetAddress[]> HOSTS = host -> {
        Map<String, String[]> table = Map.of("localhost", new String[] {"127.0.0.1", "::1"},
                "patchbay-box", new String[] {"127.0.1.1"},
                "files.example", new String[] {"127.0.0.1", "192.0.2.7"});
        String[] listed = table.get(host);
        if (listed == null && !Character.isDigit(host.charAt(0)) && !host.contains(":")) {
            return new InetAddress[0];
        }
        String[] literals = listed == null ? new String[] {host} : listed;
        InetAddress[] addresses = new InetAddress[literals.length];
        try {
            for (int i = 0; i < literals.length; i++) {
                addresses[i] = InetAddress.getByName(literals[i]);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        return addresses;
    };

    private static final Function<String, String> PLAIN = Map.<String, String>of()::get;

    private static Function<String, String> transport(String... keysAndValues) {
        Map<String, String> settings = new java.util.HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings::get;
    }

    @Test
    void everyInterfaceIsRefusedNamingTheAddressAndTheOptIn() {
        for (String host : new String[] {"0.0.0.0", "", " ", "::", "[::]", "0:0:0:0:0:0:0:0"}) {
            String problem = Main.listenProblem(host, PLAIN, HOSTS);
            assertTrue(problem != null && problem.contains("org.apache.felix.http.host='" + host + "'")
                    && problem.contains("every interface") && problem.contains("-Dpatchbay.http.behindProxy=true")
                    && problem.contains("-Dorg.apache.felix.https.enable=true"),
                    host + ": " + problem);
        }
        String unset = Main.listenProblem(null, PLAIN, HOSTS);
        assertTrue(unset != null && unset.contains("every interface") && unset.contains("is not set"), unset);
    }

    @Test
    void anAddressOtherMachinesReachNeedsHttpsAloneOrAReverseProxy(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String problem = Main.listenProblem("192.0.2.1", PLAIN, HOSTS);
        assertTrue(problem != null && problem.contains("'192.0.2.1'") && problem.contains("clear text"), problem);
        assertTrue(Main.listenProblem("0.0.0.0", transport("patchbay.http.allowRemote", "true"), HOSTS) != null,
                "the old opt-in without authentication is gone");
        assertNull(Main.listenProblem("192.0.2.1", transport("patchbay.http.behindProxy", "true"), HOSTS));
        assertNull(Main.listenProblem(null, transport("patchbay.http.behindProxy", "TRUE"), HOSTS),
                "read as Boolean.parseBoolean, as ListenGuard does");
        assertTrue(Main.listenProblem("0.0.0.0", transport("patchbay.http.behindProxy", "yes"), HOSTS) != null,
                "only true opts in");
        Path keystore = java.nio.file.Files.writeString(dir.resolve("server.p12"), "not checked here");
        Function<String, String> both = transport("org.apache.felix.https.enable", "true", "org.apache.felix.https.keystore",
                keystore.toString());
        String beside = Main.listenProblem("0.0.0.0", both, HOSTS);
        assertTrue(beside != null && beside.contains("beside HTTPS"), "plain HTTP beside HTTPS: " + beside);
        Function<String, String> httpsOnly = transport("org.apache.felix.https.enable", "true",
                "org.apache.felix.https.keystore", keystore.toString(), "org.apache.felix.http.enable", "false");
        assertNull(Main.listenProblem("0.0.0.0", httpsOnly, HOSTS));
        assertNull(Main.keystoreProblem(httpsOnly));
    }

    @Test
    void mainIsOneClassAsTheRunnableJarCarriesItAlone() {
        // run/patchbay.bndrun puts Main.class alone into the jar: a nested or anonymous class would be missing there
        assertEquals(0, Main.class.getDeclaredClasses().length);
        assertNull(Main.class.getEnclosingClass());
    }

    @Test
    void httpsWithoutAReadableKeystoreIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
        String none = Main.keystoreProblem(transport("org.apache.felix.https.enable", "true"));
        assertTrue(none != null && none.contains("org.apache.felix.https.keystore=<file>"), none);
        String missing = Main.keystoreProblem(transport("org.apache.felix.https.enable", "true",
                "org.apache.felix.https.keystore", dir.resolve("nope.p12").toString()));
        assertTrue(missing != null && missing.contains("nope.p12") && missing.contains("not a readable file"),
                missing);
        assertNull(Main.keystoreProblem(PLAIN));
    }

    @Test
    void loopbackAddressesAndNamesThatResolveOnlyToLoopbackAreFine() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST.",
                "patchbay-box"}) {
            assertNull(Main.listenProblem(host, PLAIN, HOSTS), host);
        }
        String mixed = Main.listenProblem("files.example", PLAIN, HOSTS);
        assertTrue(mixed != null && mixed.contains("'files.example' (127.0.0.1, 192.0.2.7)"), mixed);
        String unknown = Main.listenProblem("no-such-host", PLAIN, HOSTS);
        assertTrue(unknown != null && unknown.contains("'no-such-host' does not resolve"), unknown);
    }

    @Test
    void theServersOwnResolverTreatsLocalhostAsLoopback() {
        assertNull(Main.listenProblem("localhost", PLAIN, Main::addresses));
        assertEquals(0, Main.addresses("no-such-host.invalid").length);
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String problem = Main.portProblem("127.0.0.1", String.valueOf(taken.getLocalPort()));
            assertTrue(problem != null && problem.contains("port " + taken.getLocalPort() + " on 127.0.0.1"),
                    String.valueOf(problem));
        }
    }

    @Test
    void aFreePortAndPortZeroAreFine() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        assertNull(Main.portProblem("127.0.0.1", String.valueOf(free)));
        assertNull(Main.portProblem("127.0.0.1", "0"));
        assertTrue(Main.portProblem("127.0.0.1", "http").contains("'http' is not a number"));
        assertTrue(Main.portProblem("127.0.0.1", "70000").contains("not from 0 to 65535"));
    }

    @Test
    void theFrameworkStorageIsKeptInTheDataFolder() {
        Properties system = new Properties();
        system.setProperty("patchbay.data", "/srv/patchbay/data");
        Main.keepStorageInDataFolder(system);
        assertEquals(Path.of("/srv/patchbay/data/framework").toString(), system.getProperty(Main.STORAGE));
        assertEquals("true", system.getProperty(Main.KEEP));

        Properties chosen = new Properties();
        chosen.setProperty("org.osgi.framework.storage", "/tmp/fw");
        chosen.setProperty(Main.KEEP, "false");
        Main.keepStorageInDataFolder(chosen);
        assertEquals("/tmp/fw", chosen.getProperty(Main.STORAGE), "a storage chosen on the command line is used");
        assertEquals("false", chosen.getProperty(Main.KEEP));
    }

    @Test
    void onlyEmbeddedBundlesThisJarNoLongerCarriesAreStale() {
        String embedded = "jar/h2-2.5.253.jar,jar/io.patchbay.core-0.1.0-SNAPSHOT.jar";
        assertTrue(ServerLifecycle.isStale("jar/h2-2.5.252.jar", embedded));
        assertFalse(ServerLifecycle.isStale("jar/h2-2.5.253.jar", embedded));
        assertFalse(ServerLifecycle.isStale("file:/srv/plugins/acme-source.jar", embedded), "plugins stay");
        assertFalse(ServerLifecycle.isStale("System Bundle", embedded));
    }

    @Test
    void aDataFolderHeldByAnotherServerIsRefusedNamingTheFolderAndTheProcess(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path home) throws Exception {
        java.nio.file.Path data = home.resolve("data");
        assertEquals(null, Main.dataFolderProblem(data));
        String problem = Main.dataFolderProblem(data);
        assertTrue(problem != null && problem.contains(data.toString()) && problem.contains("in use")
                && problem.contains("process " + ProcessHandle.current().pid()) && problem.contains("-Dpatchbay.data="),
                problem);
    }
}
