package io.patchbay.run.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class MainTest {
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
}
