package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** A server that cannot work says so and does not pretend to. */
class StartRefusalTest {
    @Test
    void aPortInUseEndsTheProcessAtOnceNamingThePort() throws Exception {
        try (Server server = new Server("port-taken");
                ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port));
            server.launch();
            int exit = server.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, server.output());
            assertTrue(server.output().contains("port " + server.port), server.output());
        }
    }

    @Test
    void listeningOnEveryInterfaceWithoutTheOptInEndsTheProcessAtOnceNamingAddressAndProperty() throws Exception {
        try (Server server = new Server("listen-everywhere", "-Dorg.apache.felix.http.host=0.0.0.0")) {
            server.launch();
            int exit = server.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, server.output());
            List<String> refusal = server.output().lines().filter(l -> l.contains("cannot start")).toList();
            assertEquals(1, refusal.size(), server.output());
            assertTrue(refusal.get(0).contains("org.apache.felix.http.host='0.0.0.0'")
                    && refusal.get(0).contains("-Dpatchbay.http.behindProxy=true")
                    && refusal.get(0).contains("-Dorg.apache.felix.https.enable=true"), server.output());
            assertFalse(Files.exists(server.data().resolve("framework")), "refused before the framework started");
        }
    }

    @Test
    void listeningOnEveryInterfaceBehindAReverseProxyServesTheApi() throws Exception {
        try (Server server = new Server("listen-everywhere-proxied", "-Dorg.apache.felix.http.host=0.0.0.0",
                "-Dpatchbay.http.behindProxy=true")) {
            // traffic goes to 127.0.0.1 only, which 0.0.0.0 includes
            server.start();
            JsonNode health = server.getJson("/health");
            assertEquals("UP", health.get("status").asText(), health.toString());
        }
    }

    @Test
    void anEmptyDatabaseFileKeepsTheStoreDownAndIsNamed() throws Exception {
        try (Server server = new Server("empty-db")) {
            Path file = server.data().resolve("patchbay.mv.db");
            Files.createDirectories(server.data());
            Files.createFile(file);
            server.launch();
            // the first answers may come before the health resource is there; its status is a string
            JsonNode health = Server.JSON.readTree(server.awaitAnswer(r -> r.statusCode() != 404
                    && r.body().contains("\"status\":\"")).body());
            assertEquals("DOWN", health.get("status").asText(), health.toString());
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!server.log().contains(file.toString()) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(server.log().lines().anyMatch(l -> l.contains("ERROR") && l.contains(file.toString())),
                    server.log());
            assertEquals(0, Files.size(file), "the file is left as it was");
        }
    }

    @Test
    void aSecondServerOnTheSameDataFolderEndsAtOnceNamingTheFolder() throws Exception {
        try (Server first = new Server("data-held").start();
                Server second = new Server("data-held-again", "-Dpatchbay.data=" + first.data())) {
            second.launch();
            int exit = second.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, second.output());
            assertTrue(second.output().contains("data folder " + first.data()) && second.output().contains("in use"),
                    second.output());
            assertEquals(200, first.get("/health").statusCode(), "the first server is untouched");
        }
    }

    @Test
    void aCorruptedDatabaseFileKeepsTheStoreDownAndTheLogSaysWhy() throws Exception {
        try (Server server = new Server("corrupt-db")) {
            Path file = server.data().resolve("patchbay.mv.db");
            Files.createDirectories(server.data());
            byte[] garbage = new byte[16384];
            new java.util.Random(7).nextBytes(garbage);
            Files.write(file, garbage);
            server.launch();
            JsonNode health = Server.JSON.readTree(server.awaitAnswer(r -> r.statusCode() != 404
                    && r.body().contains("\"status\":\"")).body());
            assertEquals("DOWN", health.get("status").asText(), health.toString());
            String database = server.data().resolve("patchbay").toString();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!server.log().contains("cannot start") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(server.log().lines().anyMatch(l -> l.contains("ERROR") && l.contains("cannot start")
                    && l.contains(database)), server.log());
            assertEquals(garbage.length, Files.size(file), "the file is left as it was");
        }
    }
}
