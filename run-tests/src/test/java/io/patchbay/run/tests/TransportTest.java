package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The server reached from other machines speaks HTTPS only, with the keystore it is given; plain HTTP beside it, or
 * HTTPS without a keystore, is refused before anything starts.
 */
class TransportTest {
    private static final String PASSWORD = "changeit-test";

    /** A self-signed key pair for 127.0.0.1 and localhost in a PKCS#12 keystore, as keytool makes it. */
    private static Path keystore(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "patchbay", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        return file;
    }

    private static HttpClient trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void everyInterfaceOverHttpsOnlyServesTheApiWithTokens() throws Exception {
        int securePort = Server.freePort();
        try (Server server = new Server("https-only")) {
            Path keystore = keystore(Files.createDirectories(server.home));
            Server tls = new Server("https-only-run", "-Dorg.apache.felix.http.host=0.0.0.0",
                    "-Dorg.apache.felix.http.enable=false", "-Dorg.apache.felix.https.enable=true",
                    "-Dorg.osgi.service.http.port.secure=" + securePort,
                    "-Dorg.apache.felix.https.keystore=" + keystore,
                    "-Dorg.apache.felix.https.keystore.password=" + PASSWORD,
                    "-Dorg.apache.felix.https.keystore.key.password=" + PASSWORD);
            try (tls) {
                tls.launch();
                HttpClient client = trusting(keystore);
                URI health = URI.create("https://127.0.0.1:" + securePort + "/api/v1/health");
                HttpResponse<String> up = null;
                long until = System.nanoTime() + Server.START_LIMIT.toNanos();
                while (System.nanoTime() < until) {
                    try {
                        up = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (up.statusCode() == 200 && tls.adminToken() != null) {
                            break;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                    Thread.sleep(200);
                }
                assertTrue(up != null && up.statusCode() == 200, "no HTTPS answer: " + tls.output());
                assertEquals("max-age=31536000", up.headers().firstValue("Strict-Transport-Security").orElse(""));
                URI devices = URI.create("https://127.0.0.1:" + securePort + "/api/v1/devices");
                HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(devices).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), anonymous.body());
                HttpResponse<String> admin = client.send(HttpRequest.newBuilder(devices)
                        .header("Authorization", "Bearer " + tls.adminToken()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, admin.statusCode(), admin.body());
                JsonNode page = Server.JSON.readTree(admin.body());
                assertTrue(page.has("items"), admin.body());
                // no plain HTTP listens on the port the plain connector would use
                assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        tls.uri("/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
    }

    @Test
    void plainHttpBesideHttpsOnEveryInterfaceIsRefused() throws Exception {
        try (Server holder = new Server("https-beside-http")) {
            Path keystore = keystore(Files.createDirectories(holder.home));
            try (Server server = new Server("https-beside-http-run", "-Dorg.apache.felix.http.host=0.0.0.0",
                    "-Dorg.apache.felix.https.enable=true", "-Dorg.apache.felix.https.keystore=" + keystore,
                    "-Dorg.osgi.service.http.port.secure=" + Server.freePort())) {
                server.launch();
                assertNotEquals(0, server.awaitExit(Duration.ofSeconds(60)), server.output());
                assertTrue(server.output().contains("beside HTTPS"), server.output());
                assertTrue(!Files.exists(server.data().resolve("framework")), "refused before the framework");
            }
        }
    }

    @Test
    void httpsWithoutAKeystoreIsRefused() throws Exception {
        try (Server server = new Server("https-no-keystore", "-Dorg.apache.felix.https.enable=true")) {
            server.launch();
            assertNotEquals(0, server.awaitExit(Duration.ofSeconds(60)), server.output());
            assertTrue(server.output().contains("needs a keystore"), server.output());
        }
    }
}
