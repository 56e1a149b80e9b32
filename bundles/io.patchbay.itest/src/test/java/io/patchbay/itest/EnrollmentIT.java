package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Agents' enrollment and check-in over real HTTP: tokens that enroll and tokens that do not (wrong, expired, used up,
 * revoked), the slowing of refused tokens, check-ins that make a device online and then offline, a copy of a machine
 * refused, source bundles listed and downloaded with their SHA-256, a long poll woken by a job queued, a release.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class EnrollmentIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @InjectBundleContext
    BundleContext context;

    private ServiceRegistration<Clock> clock;
    private Bundle fixture;

    @BeforeAll
    static void ready() throws Exception {
        StoreIT.ready();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (clock != null) {
            clock.unregister();
            clock = null;
        }
        if (fixture != null) {
            fixture.uninstall();
            fixture = null;
        }
    }

    /** A token as an admin creates it; its JSON with the secret. */
    static JsonNode token(String groupId, int maxUses, Instant expiresAt) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "itest-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("groupId", groupId);
        body.put("maxUses", maxUses);
        body.put("expiresAt", expiresAt.toString());
        Http.Answer a = Http.post("/enrollment-tokens", Http.JSON.writeValueAsString(body));
        assertEquals(201, a.status(), a.body());
        return a.json();
    }

    static Map<String, Object> identity(String hardwareId, String serial) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("hardwareId", hardwareId);
        id.put("machineId", "machine-" + serial);
        id.put("serial", serial);
        id.put("hostname", "host-" + serial);
        id.put("osFamily", "linux");
        id.put("osName", "debian");
        id.put("osVersion", "12");
        id.put("architecture", "amd64");
        id.put("timeZone", "Europe/Berlin");
        id.put("addresses", List.of("192.0.2.7"));
        return id;
    }

    /** POST /agent/enroll without credentials; waits out a slowing left by another test's refused tokens. */
    static Http.Answer enroll(String token, Map<String, Object> identity) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("identity", identity);
        body.put("agentVersion", "0.1.0");
        return enrollRaw(Http.JSON.writeValueAsString(body));
    }

    static Http.Answer enrollRaw(String json) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/enroll")).header("Authorization", "")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Http.Answer enrollPatiently(String token, Map<String, Object> identity) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Http.Answer a = enroll(token, identity);
            if (a.status() != 429 || System.nanoTime() > end) {
                return a;
            }
            Thread.sleep(1000L * Long.parseLong(a.raw().headers().firstValue("Retry-After").orElse("1")));
        }
    }

    static Http.Answer checkIn(String deviceId, String secret, long sequence, Instant bootTime,
            Map<String, Object> identity) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sequence", sequence);
        body.put("agentVersion", "0.1.0");
        body.put("bootTime", bootTime.toString());
        body.put("identity", identity);
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + deviceId + "/check-in"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body))));
    }

    private static String group() throws Exception {
        Http.Answer g = Http.post("/groups", "{\"name\":\"" + StoreIT.unique("enrolled") + "\"}");
        assertEquals(201, g.status(), g.body());
        return g.json().get("id").asText();
    }

    private void at(Instant now) {
        if (clock != null) {
            clock.unregister();
        }
        clock = context.registerService(Clock.class, Clock.fixed(now, ZoneOffset.UTC),
                new Hashtable<>(Map.of(Constants.SERVICE_RANKING, 1000)));
    }

    @Test
    void aTokenEnrollsMachinesIntoItsGroupUntilItIsUsedUpAndTheSameMachineKeepsItsRecord() throws Exception {
        String group = group();
        JsonNode token = token(group, 2, Instant.now().plus(Duration.ofDays(1)));
        String secret = token.get("secret").asText();
        assertTrue(secret.startsWith("pbe_"), token.toString());
        String hw = "hw-" + UUID.randomUUID();

        Http.Answer first = enrollPatiently(secret, identity(hw, "A"));
        assertEquals(200, first.status(), first.body());
        String deviceId = first.json().get("deviceId").asText();
        assertFalse(first.json().get("reenrolled").asBoolean());
        JsonNode device = Http.get("/devices/" + deviceId).json();
        assertEquals(group, device.get("groupId").asText(), device.toString());
        assertEquals(hw, device.get("hardwareId").asText());
        assertEquals("unknown", device.get("connection").asText());
        assertTrue(device.hasNonNull("enrolledAt"), device.toString());

        // never checked in: the machine enrolling again (its state folder lost) keeps its record
        Http.Answer again = enrollPatiently(secret, identity(hw, "A"));
        assertEquals(200, again.status(), again.body());
        assertEquals(deviceId, again.json().get("deviceId").asText());
        assertTrue(again.json().get("reenrolled").asBoolean());
        assertEquals(401, checkIn(deviceId, first.json().get("secret").asText(), 1, Instant.now(),
                identity(hw, "A")).status(), "the first secret is revoked");

        Http.Answer usedUp = enrollPatiently(secret, identity("hw-" + UUID.randomUUID(), "B"));
        assertEquals(401, usedUp.status(), usedUp.body());
        assertTrue(usedUp.contentType().startsWith("application/problem+json"), usedUp.contentType());
        assertTrue(usedUp.json().get("detail").asText().contains("used up"), usedUp.body());

        JsonNode listed = Http.get("/enrollment-tokens").json();
        JsonNode mine = null;
        for (JsonNode t : listed) {
            if (t.get("id").asText().equals(token.get("id").asText())) {
                mine = t;
            }
        }
        assertEquals(2, mine.get("uses").asInt(), listed.toString());
        assertFalse(listed.toString().contains(secret), "no secret in the list");
        JsonNode audit = Http.get("/audit?entity=device&entityId=" + deviceId).json();
        assertTrue(audit.toString().contains("\"enroll\""), audit.toString());
    }

    @Test
    void wrongRevokedAndExpiredTokensAndAMissingHardwareIdAreRefused() throws Exception {
        JsonNode token = token(null, 10, Instant.now().plus(Duration.ofHours(1)));
        String secret = token.get("secret").asText();
        Http.Answer missing = enrollPatiently(secret, identity(" ", "A"));
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.body().contains("identity.hardwareId"), missing.body());
        Http.Answer family = enrollPatiently(secret, Map.of("hardwareId", "x", "hostname", "h", "osFamily", "beos"));
        assertEquals(400, family.status(), family.body());
        assertTrue(family.body().contains("identity.osFamily"), family.body());

        Http.Answer wrong = enrollPatiently(secret + "x", identity("hw-" + UUID.randomUUID(), "A"));
        assertEquals(401, wrong.status(), wrong.body());
        assertEquals("The enrollment token is not valid", wrong.json().get("detail").asText());

        at(Instant.now().plus(Duration.ofHours(2)));
        Http.Answer expired = enrollPatiently(secret, identity("hw-" + UUID.randomUUID(), "A"));
        assertEquals(401, expired.status(), expired.body());
        assertTrue(expired.json().get("detail").asText().contains("expired"), expired.body());
        clock.unregister();
        clock = null;

        Http.Answer revoked = Http.delete("/enrollment-tokens/" + token.get("id").asText());
        assertEquals(200, revoked.status(), revoked.body());
        assertTrue(revoked.json().hasNonNull("revokedAt"), revoked.body());
        Http.Answer afterRevoke = enrollPatiently(secret, identity("hw-" + UUID.randomUUID(), "A"));
        assertEquals(401, afterRevoke.status(), afterRevoke.body());
        assertEquals("The enrollment token is not valid", afterRevoke.json().get("detail").asText());
        assertEquals(404, Http.delete("/enrollment-tokens/no-such-token").status());
        Http.Answer noExpiry = Http.post("/enrollment-tokens", "{\"name\":\"n\",\"maxUses\":1}");
        assertEquals(400, noExpiry.status(), noExpiry.body());
        assertTrue(noExpiry.body().contains("expiresAt"), noExpiry.body());
    }

    @Test
    void repeatedRefusedTokensFromOneAddressAreSlowedDown() throws Exception {
        JsonNode token = token(null, 10, Instant.now().plus(Duration.ofHours(1)));
        Http.Answer last = null;
        for (int i = 0; i < 8 && (last == null || last.status() != 429); i++) {
            last = enroll("pbe_guess" + i, identity("hw-" + UUID.randomUUID(), "G"));
        }
        assertEquals(429, last.status(), last.body());
        assertTrue(last.raw().headers().firstValue("Retry-After").isPresent());
        assertTrue(last.contentType().startsWith("application/problem+json"));
        // even a good token waits; once the time passed it enrolls, and the count starts afresh
        Http.Answer good = enrollPatiently(token.get("secret").asText(), identity("hw-" + UUID.randomUUID(), "G"));
        assertEquals(200, good.status(), good.body());
    }

    @Test
    void checkInsMakeADeviceOnlineThenOfflineAndACopyOfTheMachineIsRefused() throws Exception {
        JsonNode token = token(null, 5, Instant.now().plus(Duration.ofDays(1)));
        String hw = "hw-" + UUID.randomUUID();
        JsonNode enrolled = enrollPatiently(token.get("secret").asText(), identity(hw, "A")).json();
        String id = enrolled.get("deviceId").asText();
        String secret = enrolled.get("secret").asText();
        Instant boot = Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        Http.Answer reply = checkIn(id, secret, 1, boot, identity(hw, "A"));
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().get("checkInSeconds").asInt() > 0, reply.body());
        assertEquals(0, reply.json().get("jobsDue").asInt(), reply.body());
        assertTrue(reply.json().get("blockRules").isArray(), reply.body());
        assertEquals(200, checkIn(id, secret, 1, boot, identity(hw, "A")).status(), "a retry is no clone");
        JsonNode online = Await.until("the check-in written", Duration.ofSeconds(10), () -> {
            try {
                JsonNode d = Http.get("/devices/" + id).json();
                return d.path("connection").asText().equals("online") ? d : null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("0.1.0", online.get("agentVersion").asText(), online.toString());
        assertEquals(boot, Instant.parse(online.get("bootTime").asText()));
        assertEquals("host-A", online.get("hostname").asText());

        // a copy of the disk, taken at check-in 1, boots elsewhere and checks in
        Http.Answer clone = checkIn(id, secret, 1, Instant.now(), identity(hw, "A"));
        assertEquals(409, clone.status(), clone.body());
        assertTrue(clone.contentType().startsWith("application/problem+json"));
        assertTrue(Http.get("/devices/" + id).json().hasNonNull("identityConflict"));
        Http.Answer cleared = Http.delete("/devices/" + id + "/identity-conflict");
        assertEquals(200, cleared.status(), cleared.body());
        assertFalse(cleared.json().hasNonNull("identityConflict"), cleared.body());
        assertEquals(200, checkIn(id, secret, 2, boot, identity(hw, "A")).status());

        // another machine enrolling with the same hardware id while this one is online gets a record of its own
        JsonNode twin = enrollPatiently(token.get("secret").asText(), identity(hw, "B")).json();
        assertNotEquals(id, twin.get("deviceId").asText());
        assertTrue(twin.get("identityConflict").asText().contains(id), twin.toString());

        at(Instant.now().plus(Duration.ofDays(2)));
        assertEquals("offline", Http.get("/devices/" + id).json().get("connection").asText());
    }

    @Test
    void theSourceBundlesOfTheDevicesPlatformAreListedAndDownloadedWithTheirHash() throws Exception {
        JsonNode token = token(null, 1, Instant.now().plus(Duration.ofDays(1)));
        String hw = "hw-" + UUID.randomUUID();
        JsonNode enrolled = enrollPatiently(token.get("secret").asText(), identity(hw, "A")).json();
        String id = enrolled.get("deviceId").asText();
        String secret = enrolled.get("secret").asText();
        JsonNode bundles = checkIn(id, secret, 1, Instant.now(), identity(hw, "A")).json().get("bundles");
        assertTrue(bundles.size() > 0, bundles.toString());
        for (JsonNode b : bundles) {
            assertTrue(b.get("platforms").toString().contains("linux"), b.toString());
            assertNotEquals("io.patchbay.test.source", b.get("symbolicName").asText(), "not offered unless set");
            HttpResponse<byte[]> jar = CLIENT.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/"
                    + id + "/bundles/" + b.get("symbolicName").asText() + "/" + b.get("version").asText()))
                    .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, jar.statusCode(), b.toString());
            assertEquals("application/vnd.osgi.bundle", jar.headers().firstValue("Content-Type").orElse(""));
            assertEquals(b.get("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(jar.body())), b.toString());
            assertEquals(b.get("size").asLong(), jar.body().length);
        }
        HttpResponse<String> none = CLIENT.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/"
                + id + "/bundles/io.patchbay.store/0.0.0")).header("Authorization", "Bearer " + secret).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, none.statusCode(), none.body());
    }

    @Test
    void aWaitingClaimIsWokenByAJobQueuedAndAReleasedJobIsClaimedAgain() throws Exception {
        fixture = Fixtures.installTestSource(context);
        JsonNode token = token(null, 2, Instant.now().plus(Duration.ofDays(1)));
        JsonNode enrolled = enrollPatiently(token.get("secret").asText(), identity("hw-" + UUID.randomUUID(), "A"))
                .json();
        String id = enrolled.get("deviceId").asText();
        String bearer = "Bearer " + enrolled.get("secret").asText();
        JsonNode other = enrollPatiently(token.get("secret").asText(), identity("hw-" + UUID.randomUUID(), "B"))
                .json();

        Http.Answer foreign = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/"
                + other.get("deviceId").asText() + "/jobs/claim")).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, foreign.status(), "a device asking for another device's jobs: " + foreign.body());

        CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + id
                        + "/jobs/claim?waitSeconds=30&source=test")).header("Authorization", bearer)
                        .POST(HttpRequest.BodyPublishers.noBody()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(1500);
        assertFalse(waiting.isDone(), "nothing is due: the claim waits");
        long queued = System.nanoTime();
        Http.Answer job = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"" + id + "\",\"sourceId\":\"test\"}");
        assertEquals(201, job.status(), job.body());
        Http.Answer claimed = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - queued) / 1_000_000;
        assertEquals(200, claimed.status(), claimed.body());
        assertEquals(job.json().get("id").asText(), claimed.json().get("job").get("id").asText());
        assertTrue(tookMillis < 1000, "woken within a second of the job being queued, took " + tookMillis + " ms");

        String jobId = job.json().get("id").asText();
        Http.Answer released = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + id
                + "/jobs/" + jobId + "/release")).header("Authorization", bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"claimId\":\"" + claimed.json().get("claimId").asText()
                                + "\",\"state\":\"QUEUED\",\"reason\":\"the agent is stopping\"}")));
        assertEquals(204, released.status(), released.body());
        assertEquals("QUEUED", Http.get("/jobs/" + jobId).json().get("state").asText());
        Http.Answer badRelease = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + id
                + "/jobs/" + jobId + "/release")).header("Authorization", bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"claimId\":\"c\",\"state\":\"RUNNING\"}")));
        assertEquals(400, badRelease.status(), badRelease.body());
        Http.Answer otherSource = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + id
                + "/jobs/claim?source=apt")).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, otherSource.status(), "a job of a source the agent does not run is left");
        Http.Answer again = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/agent/devices/" + id
                + "/jobs/claim?source=test")).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, again.status(), again.body());
        assertEquals(1, again.json().get("job").get("attempt").asInt(), "a release counts no attempt");
    }
}
