package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.DataFolder;
import io.patchbay.api.security.Credentials;

/**
 * API tokens and device secrets over HTTP: shown once, stored as hashes, expiring, revoked, rotated; a device secret
 * reaches its own agent endpoints only; guessing is slowed per address; the first admin token is in the data folder.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class CredentialsIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    Credentials credentials;

    private static ServiceRegistration<?> probe;

    /** Stands in for the agent endpoints under /agent/devices/{deviceId}/, which answer the device they serve. */
    @Path("agent/devices/{deviceId}/itest-probe")
    public static class AgentProbe {
        @GET
        @Produces("text/plain")
        public String get(@PathParam("deviceId") String deviceId) {
            return deviceId;
        }
    }

    @BeforeAll
    static void registerProbe() throws Exception {
        Http.awaitReady();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.jaxrs.resource", true);
        props.put("osgi.jaxrs.application.select", "(osgi.jaxrs.name=patchbay)");
        probe = FrameworkUtil.getBundle(CredentialsIT.class).getBundleContext().registerService(AgentProbe.class,
                new AgentProbe(), props);
    }

    @AfterAll
    static void unregisterProbe() throws Exception {
        probe.unregister();
        // the application is rebuilt without the probe: let it settle before the next class
        Await.until("the API without the probe", HotSwapIT.LIMIT, () -> {
            try {
                return Http.get("/devices?limit=1").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** A new device registered over the API; its id. */
    static String device(String name) throws Exception {
        Http.Answer a = Http.post("/devices", "{\"hostname\":\"" + name + "-" + System.nanoTime()
                + "\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}");
        assertEquals(201, a.status(), a.body());
        return a.json().get("id").asText();
    }

    /** Issues a secret for the device over the API, as an admin. */
    static String deviceSecret(String deviceId) throws Exception {
        Http.Answer a = Http.raw("POST", "/devices/" + deviceId + "/credentials", Map.of(), null);
        assertEquals(201, a.status(), a.body());
        return a.json().get("secret").asText();
    }

    private static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Http.Answer as(String secret, String method, String path) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + path)).header("Authorization",
                secret == null ? "" : "Bearer " + secret).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private Http.Answer probe(String secret, String deviceId) throws Exception {
        return Await.until("the agent probe", HotSwapIT.LIMIT, () -> {
            Http.Answer a = unchecked(() -> as(secret, "GET", "/agent/devices/" + deviceId + "/itest-probe"));
            return a.status() == 404 || a.status() == 503 ? null : a;
        });
    }

    @Test
    void aTokenIsShownOnceWorksForItsRoleAndStopsWhenRevoked() throws Exception {
        Http.Answer issued = Http.post("/tokens", "{\"name\":\"ci-" + System.nanoTime()
                + "\",\"role\":\"READ_ONLY\"}");
        assertEquals(201, issued.status(), issued.body());
        String secret = issued.json().get("secret").asText();
        String id = issued.json().get("id").asText();
        assertTrue(secret.startsWith("pbt_") && secret.length() >= 40, secret);

        Http.Answer listed = Http.get("/tokens");
        assertEquals(200, listed.status(), listed.body());
        assertFalse(listed.body().contains(secret), "the list shows no secret");
        assertFalse(listed.body().contains("\"secret\""), listed.body());

        assertEquals(200, as(secret, "GET", "/devices").status());
        Http.Answer write = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/groups"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + StoreIT.unique("RO") + "\"}")));
        assertEquals(403, write.status(), write.body());
        assertTrue(write.contentType().startsWith("application/problem+json"), write.contentType());
        assertTrue(write.json().get("detail").asText().contains("OPERATOR"), write.body());

        Http.Answer revoked = Http.delete("/tokens/" + id);
        assertEquals(200, revoked.status(), revoked.body());
        assertTrue(revoked.json().hasNonNull("revokedAt"), revoked.body());
        Http.Answer after = as(secret, "GET", "/devices");
        assertEquals(401, after.status(), after.body());
        assertEquals("Bearer realm=\"patchbay\"", after.raw().headers().firstValue("WWW-Authenticate").orElse(""));
        JsonNode audited = Http.get("/audit?entity=token&entityId=" + id).json().get("items");
        assertEquals("revoke", audited.get(0).get("action").asText(), audited.toString());
        assertEquals("issue", audited.get(1).get("action").asText(), audited.toString());
        assertFalse(audited.toString().contains(secret), "the audit log has no secret");
    }

    @Test
    void aTokenStopsWorkingWhenItExpires() throws Exception {
        Instant now = Instant.now();
        Http.Answer issued = Http.post("/tokens", "{\"name\":\"short-" + System.nanoTime()
                + "\",\"role\":\"OPERATOR\",\"expiresAt\":\"" + now.plusSeconds(3600) + "\"}");
        assertEquals(201, issued.status(), issued.body());
        String secret = issued.json().get("secret").asText();
        assertEquals(200, as(secret, "GET", "/groups").status());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Clock> later = context.registerService(Clock.class,
                Clock.fixed(now.plusSeconds(7200), ZoneOffset.UTC), props);
        try {
            Http.Answer expired = Await.until("the token expired", HotSwapIT.LIMIT, () -> {
                Http.Answer a = unchecked(() -> as(secret, "GET", "/groups"));
                return a.status() == 401 ? a : null;
            });
            assertTrue(expired.json().get("detail").asText().contains("expired"), expired.body());
        } finally {
            later.unregister();
        }
        assertEquals(400, Http.post("/tokens", "{\"name\":\"past\",\"role\":\"OPERATOR\",\"expiresAt\":\""
                + now.minusSeconds(60) + "\"}").status());
        Http.Answer badRole = Http.post("/tokens", "{\"name\":\"dev\",\"role\":\"DEVICE\"}");
        assertEquals(400, badRole.status(), badRole.body());
        assertEquals("role", badRole.json().get("field").asText(), badRole.body());
    }

    @Test
    void aDeviceSecretReachesItsOwnAgentEndpointsOnly() throws Exception {
        String a = device("agent-a");
        String b = device("agent-b");
        String secretA = deviceSecret(a);
        String secretB = deviceSecret(b);
        assertTrue(secretA.startsWith("pbd_"), secretA);

        Http.Answer own = probe(secretA, a);
        assertEquals(200, own.status(), own.body());
        assertEquals(a, own.body());
        Http.Answer other = probe(secretB, a);
        assertEquals(403, other.status(), "another device's secret: " + other.body());
        assertEquals(403, probe(secretA, b).status());
        assertEquals(403, probe(Http.adminToken(), a).status(), "an admin token is not a device's secret");
        assertEquals(401, probe(null, a).status());
        for (String path : new String[] { "/devices", "/devices/" + a, "/jobs", "/tokens", "/openapi.json",
                "/health" }) {
            assertEquals(403, as(secretA, "GET", path).status(), path);
        }
        assertEquals(403, as(secretA, "POST", "/devices/" + a + "/credentials").status());

        // issuing again rotates: the old secret stops, the new one works
        String rotated = deviceSecret(a);
        assertEquals(401, probe(secretA, a).status());
        assertEquals(200, probe(rotated, a).status());
        JsonNode listed = Http.get("/devices/" + a + "/credentials").json();
        assertEquals(2, listed.size(), listed.toString());
        assertFalse(listed.toString().contains(rotated), "no secret in the list");

        Http.Answer revoked = Http.raw("DELETE", "/devices/" + a + "/credentials", Map.of(), null);
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals(401, probe(rotated, a).status());

        // a deleted device's secret authenticates nothing
        String etag = Http.get("/devices/" + b).raw().headers().firstValue("ETag").orElseThrow();
        assertEquals(204, StoreIT.delete("/devices/" + b, etag).status());
        assertEquals(401, probe(secretB, b).status());

        assertEquals(404, Http.raw("POST", "/devices/no-such-device/credentials", Map.of(), null).status());
    }

    @Test
    void repeatedFailuresFromOneAddressAreSlowedAndOthersAreNot() throws Exception {
        String guesser = "127.0.0." + (10 + (int) (System.nanoTime() % 200));
        for (int i = 0; i < 5; i++) {
            assertEquals(401, from(guesser, "Bearer pbt_guess" + i), "failure " + i);
        }
        // from now on even a valid token is not checked from that address
        String refused = rawFrom(guesser, Http.bearer());
        assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
        assertTrue(refused.toLowerCase(java.util.Locale.ROOT).contains("retry-after: "), refused);
        assertEquals(200, from("127.0.0.1", Http.bearer()), "another address is not slowed");

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Clock> later = context.registerService(Clock.class,
                Clock.fixed(Instant.now().plusSeconds(600), ZoneOffset.UTC), props);
        try {
            Await.until("the wait is over", HotSwapIT.LIMIT, () -> unchecked(() -> from(guesser, Http.bearer())) == 200);
        } finally {
            later.unregister();
        }
    }

    private static int from(String address, String authorization) throws IOException {
        String answer = rawFrom(address, authorization);
        return Integer.parseInt(answer.split(" ")[1]);
    }

    /** A GET of /devices on a connection from the given loopback address. */
    private static String rawFrom(String address, String authorization) throws IOException {
        URI base = URI.create(Http.api());
        try (Socket s = new Socket(InetAddress.getByName(base.getHost()), base.getPort(),
                InetAddress.getByName(address), 0)) {
            s.setSoTimeout(30_000);
            String request = "GET " + base.getPath() + "/devices?limit=1 HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\nConnection: close\r\nAuthorization: " + authorization + "\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theFirstAdminTokenIsWrittenOnceForItsUserOnly() throws Exception {
        assertTrue(credentials.issueFirstAdminToken().isEmpty(), "issued once in the life of the store");
        if (context.getProperty("patchbay.store.url") != null) {
            return; // a shared PostgreSQL database may have issued it in an earlier run
        }
        java.nio.file.Path file = context.getService(context.getServiceReference(DataFolder.class)).path()
                .resolve("first-admin-token");
        assertTrue(Files.exists(file), file.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertEquals(200, as(token, "GET", "/tokens").status());
        java.nio.file.Path log = file.resolveSibling("logs").resolve("patchbay.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(token), "the log never has the token");
        }
    }

    @Test
    void everyAnswerHasSecurityHeadersAndHealthSaysLittleToStrangers() throws Exception {
        Http.Answer anonymous = as(null, "GET", "/health");
        assertEquals(200, anonymous.status(), anonymous.body());
        assertEquals(1, anonymous.json().size(), "readiness only: " + anonymous.body());
        Http.Answer full = Http.get("/health");
        assertTrue(full.json().has("version"), full.body());
        for (Http.Answer a : new Http.Answer[] { anonymous, full, as(null, "GET", "/devices") }) {
            assertEquals("nosniff", a.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("DENY", a.raw().headers().firstValue("X-Frame-Options").orElse(""));
            assertTrue(a.raw().headers().firstValue("Content-Security-Policy").orElse("").contains("'none'"));
        }
    }

    /** A request on a socket of its own, with the headers given (and no others but Host); the whole answer. */
    private static String rawRequest(String method, String path, String... headers) throws IOException {
        URI base = URI.create(Http.api());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + base.getPath() + path + " HTTP/1.1\r\nHost: "
                    + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onlyListedOriginsAreGrantedCrossOriginAccess() throws Exception {
        String console = "https://console.example.org";
        String preflight = rawRequest("OPTIONS", "/devices", "Origin: " + console,
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization");
        assertTrue(preflight.startsWith("HTTP/1.1 401"), "no CORS by default: " + preflight);
        assertFalse(preflight.toLowerCase(java.util.Locale.ROOT).contains("access-control-allow-origin"), preflight);
        System.setProperty("patchbay.http.corsOrigins", "https://other.example.org, " + console);
        try {
            String granted = rawRequest("OPTIONS", "/devices", "Origin: " + console,
                    "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization");
            assertTrue(granted.startsWith("HTTP/1.1 204"), granted);
            assertTrue(granted.contains("Access-Control-Allow-Origin: " + console), granted);
            assertTrue(granted.contains("Authorization"), granted);
            String read = rawRequest("GET", "/devices?limit=1", "Origin: " + console, "Authorization: "
                    + Http.bearer());
            assertTrue(read.startsWith("HTTP/1.1 200") && read.contains("Access-Control-Allow-Origin: " + console),
                    read);
            String stranger = rawRequest("OPTIONS", "/devices", "Origin: https://attacker.example.com",
                    "Access-Control-Request-Method: POST");
            assertFalse(stranger.toLowerCase(java.util.Locale.ROOT).contains("access-control-allow-origin"),
                    stranger);
        } finally {
            System.clearProperty("patchbay.http.corsOrigins");
        }
    }
}
