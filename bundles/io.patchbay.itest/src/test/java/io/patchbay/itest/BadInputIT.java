package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Input the API once took badly (500s, HTML pages, 201s for what could not be stored): now a 4xx problem each. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class BadInputIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
    }

    @BeforeEach
    void installSource() throws Exception {
        fixture = Fixtures.installTestSource(context);
    }

    @AfterEach
    void uninstallSource() throws Exception {
        fixture.uninstall();
    }

    private static JsonNode assertProblem(Http.Answer a, int status, String field, String detailPart) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType() + " " + a.body());
        JsonNode p = a.json();
        assertEquals(status, p.get("status").asInt(), a.body());
        if (field != null) {
            assertEquals(field, p.path("field").asText(), a.body());
        }
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
        assertFalse(a.body().contains("Exception"), a.body());
        return p;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Http.Answer post(String path, String json, Map<String, String> headers) throws Exception {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/json");
        return Http.raw("POST", path, h, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String device(String extra) {
        return "{\"hostname\":\"fuzz-host\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"" + extra + "}";
    }

    @Test
    void whatTheStoreCannotKeepIsRefusedBeforeAnythingIsAccepted() throws Exception {
        int jobsBefore = Http.get("/jobs?limit=500").json().get("items").size();
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"" + "s".repeat(65)
                + "\"}"), 400, "sourceId", "at most 64");
        assertProblem(Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"updates\":[{\"id\":\"" + "u".repeat(300) + "\"}]}"), 400, "updates[0].id", "at most 255");
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"runId\":\"" + "r".repeat(65) + "\"}"), 400, "runId", "at most 64");
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"deadline\":\"+1000000000-01-01T00:00:00Z\"}"), 400, "deadline", "days ahead");
        assertProblem(Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"updates\":[{\"id\":\"hello\"},{\"id\":\"hello\"}]}"), 400, "updates[1].id", "updates[0].id");
        assertEquals(jobsBefore, Http.get("/jobs?limit=500").json().get("items").size(), "no job was accepted");
        for (int length = 33; length <= 40; length++) {
            assertProblem(Http.post("/devices", device(",\"architecture\":\"" + "a".repeat(length) + "\"")), 400,
                    "architecture", "at most 32");
        }
        assertProblem(Http.post("/devices", device(",\"lastCheckIn\":\"+1000000000-01-01T00:00:00Z\"")), 400,
                "lastCheckIn", "until now");
        assertProblem(Http.post("/devices", device(",\"lastCheckIn\":\"-999999999-01-01T00:00:00Z\"")), 400,
                "lastCheckIn", "until now");
        assertProblem(Http.post("/tokens", "{\"name\":\"" + "u".repeat(256) + "\",\"role\":\"OPERATOR\"}"), 400,
                "name", "at most 255");
        assertProblem(Http.post("/blocklist", "{\"updateId\":\"" + "k".repeat(256) + "\"}"), 400, "updateId",
                "at most 255");
        assertProblem(Http.post("/blocklist", "{\"sourceType\":\"" + "t".repeat(65) + "\"}"), 400, "sourceType",
                "at most 64");
    }

    @Test
    void numbersAndCursorsOutOfEveryRangeAre400NamingTheParameter() throws Exception {
        for (String path : List.of("/jobs", "/devices", "/groups", "/policies", "/runs", "/updates", "/results",
                "/audit", "/blocklist")) {
            assertProblem(Http.get(path + "?limit=abc"), 400, "limit", "whole number");
            assertProblem(Http.get(path + "?limit=99999999999"), 400, "limit", "whole number");
            assertProblem(Http.get(path + "?cursor=garbage"), 400, "cursor", "not a cursor");
            assertProblem(Http.get(path + "?cursor=" + b64("p:-5")), 400, "cursor", "not a cursor");
        }
        for (String positional : List.of("/jobs", "/runs", "/updates", "/results", "/audit", "/blocklist")) {
            assertProblem(Http.get(positional + "?cursor=" + b64("pb1:-5")), 400, "cursor", "not a cursor");
        }
        assertProblem(Http.get("/jobs/x?waitSeconds=abc"), 400, "waitSeconds", "whole number");
        assertProblem(Http.get("/jobs/x?waitSeconds=99999999999"), 400, "waitSeconds", "whole number");
        assertProblem(Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/sources/test/drain?waitSeconds=-1"))
                .POST(HttpRequest.BodyPublishers.noBody())), 400, "waitSeconds", "whole number");
    }

    @Test
    void aNextCursorLeadsThroughEveryItemOfEveryKindOfList() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, Http.post("/blocklist", "{\"updateId\":\"KB-page-" + i + "\"}").status());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = Http.get("/blocklist?limit=1" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(r -> seen.add(r.get("updateId").asText()));
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        assertTrue(seen.containsAll(List.of("KB-page-0", "KB-page-1", "KB-page-2")), seen.toString());
        for (JsonNode r : Http.get("/blocklist?limit=500").json().get("items")) {
            if (r.get("updateId").asText().startsWith("KB-page-")) {
                Http.delete("/blocklist/" + r.get("id").asText());
            }
        }
    }

    @Test
    void wrongJsonTypesAndLoneSurrogatesAre400() throws Exception {
        assertProblem(Http.post("/devices", "{\"hostname\":true,\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}"), 400,
                "hostname", "hostname");
        assertProblem(Http.post("/devices", device(",\"tags\":[1]")), 400, null, "tags");
        assertProblem(Http.post("/groups", "{\"name\":\"g\",\"scanIntervalMinutes\":\"60\"}"), 400,
                "scanIntervalMinutes", "scanIntervalMinutes");
        assertProblem(Http.post("/devices", device(",\"osName\":\"a\\ud800b\"")), 400, "osName", "surrogate");
        assertProblem(Http.post("/runs", "{\"name\":\"n\",\"options\":{\"\\udc00\":\"v\"}}"), 400, null, "surrogate");
        assertProblem(Http.post("/groups", "{\"name\":\"g\",\"scanIntervalMinutes\":99999999999999999999}"), 400,
                null, "scanIntervalMinutes");
    }

    @Test
    void oddContentTypesAndPathsGetProblemsNotHtml() throws Exception {
        Map<String, String> nonsense = Map.of("Content-Type", "application/json; charset=nonsense");
        assertProblem(Http.raw("GET", "/devices", nonsense, null), 415, "Content-Type", "nonsense");
        assertProblem(Http.raw("POST", "/devices", nonsense, device("").getBytes(StandardCharsets.UTF_8)), 415,
                "Content-Type", "nonsense");
        assertProblem(Http.get("/devices/a%2fb"), 404, null, "does not exist");
        // ids with line breaks would forge log lines: refused, naming the parameter
        assertProblem(Http.get("/devices/a%0d%0ab"), 400, null, "control characters");
        assertProblem(Http.get("/jobs/a%2fb%0d%0a"), 400, null, "control characters");
        assertProblem(Http.socket("GET", "/devices/a%u0041", Map.of(), null), 400, null, "percent");
        assertEquals(200, Http.raw("GET", "/reports/compliance", Map.of("Accept", "*/*"), null).status());
        assertTrue(Http.raw("GET", "/reports/compliance", Map.of("Accept", "*/*"), null).contentType()
                .startsWith("application/json"));
        assertTrue(Http.raw("GET", "/reports/compliance", Map.of("Accept", "text/csv"), null).contentType()
                .startsWith("text/csv"));
    }

    @Test
    void aCrossSitePostCannotDrainASource() throws Exception {
        assertProblem(Http.raw("POST", "/sources/test/drain", Map.of("Content-Type", "text/plain"),
                "x".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type", "no body");
        assertProblem(Http.raw("POST", "/sources/test/drain", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                null), 415, "Content-Type", "application/json");
        Http.Answer fromPage = Http.socket("POST", "/sources/test/drain", Map.of("Origin", "http://evil.example"), "");
        assertEquals(415, fromPage.status(), fromPage.body());
        assertTrue(fromPage.contentType().startsWith("application/problem+json"), fromPage.contentType());
        assertProblem(Http.raw("POST", "/devices", Map.of("Content-Type", "text/plain"),
                device("").getBytes(StandardCharsets.UTF_8)), 415, null, "application/json");
        assertProblem(Http.raw("POST", "/devices", Map.of(), device("").getBytes(StandardCharsets.UTF_8)), 415, null,
                "application/json");
        assertEquals("ACTIVE", Http.get("/sources/test").json().get("state").asText(), "not drained");
        Http.Answer drained = Http.raw("POST", "/sources/test/drain?waitSeconds=0",
                Map.of("Content-Type", "application/json"), null);
        assertEquals(200, drained.status(), drained.body());
        assertEquals("DRAINING", drained.json().get("state").asText());
        assertEquals(200, Http.delete("/sources/test/drain").status());
    }

    @Test
    void createsRacingForOneNameGetOne201AndOtherwise409() throws Exception {
        String name = "race-" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            List<Callable<Http.Answer>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                creates.add(() -> Http.post("/groups", "{\"name\":\"" + name + "\"}"));
            }
            for (Future<Http.Answer> f : pool.invokeAll(creates)) {
                Http.Answer a = f.get();
                statuses.add(a.status());
                if (a.status() == 201) {
                    ids.add(a.json().get("id").asText());
                } else {
                    assertProblem(a, 409, null, name);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ids.size(), statuses.toString());
        Http.Answer gone = Http.raw("DELETE", "/groups/" + ids.get(0), Map.of("If-Match", "*"), null);
        assertEquals(204, gone.status(), gone.body());
    }

    @Test
    void ifMatchStarMatchesTheCurrentVersion() throws Exception {
        Http.Answer created = Http.post("/groups", "{\"name\":\"star-" + System.nanoTime() + "\"}");
        String id = created.json().get("id").asText();
        Http.Answer put = Http.raw("PUT", "/groups/" + id, Map.of("Content-Type", "application/json", "If-Match", "*"),
                ("{\"name\":\"star-" + System.nanoTime() + "\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, put.status(), put.body());
        assertEquals("\"2\"", put.raw().headers().firstValue("ETag").orElseThrow());
        assertProblem(Http.raw("PUT", "/groups/" + id, Map.of("Content-Type", "application/json", "If-Match",
                "\"7\", \"8\""), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 412, null, "version 2");
        assertProblem(Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "soon"), null), 400, "If-Match", "ETag");
        assertEquals(204, Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "\"1\", \"2\""), null).status());
        assertProblem(Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "*"), null), 404, null, "does not exist");
    }

    @Test
    void aPageStopsAtFourMebibytesAndStillLeadsToTheRest() throws Exception {
        String description = "d".repeat(4000);
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            updates.append(i == 0 ? "" : ",").append("{\"id\":\"big-").append(i).append("\",\"description\":\"")
                    .append(description).append("\"}");
        }
        Set<String> mine = new HashSet<>();
        for (int j = 0; j < 12; j++) {
            Http.Answer a = Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                    + "\"updates\":[" + updates + "]}");
            assertEquals(201, a.status(), a.body());
            mine.add(a.json().get("id").asText());
        }
        Http.Answer first = Http.get("/jobs?limit=500");
        assertEquals(200, first.status());
        int bytes = first.body().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= 4 * 1024 * 1024 + 1024 * 1024, "a page of " + bytes + " bytes");
        JsonNode page = first.json();
        assertNotNull(page.get("next"), "more jobs than fit on one page: next is given");
        Set<String> seen = new HashSet<>();
        while (true) {
            page.get("items").forEach(j -> seen.add(j.get("id").asText()));
            if (!page.hasNonNull("next")) {
                break;
            }
            page = Http.get("/jobs?limit=500&cursor=" + page.get("next").asText()).json();
        }
        assertTrue(seen.containsAll(mine), "every job is on some page");
    }

    private static String policy(String extra) {
        String valid = StoreIT.policyJson("p-" + System.nanoTime());
        return valid.substring(0, valid.length() - 1) + extra + "}";
    }

    @Test
    void valuesOfAnotherJsonTypeAreRefusedNotConverted() throws Exception {
        Http.Answer fraction = Http.post("/policies", policy(",\"deferralHours\":1.5"));
        assertProblem(fraction, 400, "deferralHours", "whole number");
        assertProblem(Http.post("/policies", policy(",\"minAgeDays\":\"  \"")), 400, "minAgeDays", "minAgeDays");
        assertProblem(Http.post("/devices", device(",\"lastCheckIn\":12")), 400, "lastCheckIn", "ISO-8601");
        assertProblem(Http.post("/groups", "{\"name\":\"a\",\"name\":\"b\"}"), 400, null, "'name'");
        byte[] overlong = ("{\"name\":\"a\u00c0\u00afb\"}").getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(Http.raw("POST", "/groups", Map.of("Content-Type", "application/json"), overlong), 400, "body",
                "UTF-8");
        for (String body : List.of(policy(",\"deferralHours\":1.5"), policy(",\"maxDeferrals\":NaN"))) {
            String detail = Http.post("/policies", body).json().get("detail").asText();
            assertFalse(detail.contains("Feature") || detail.contains("Coercion") || detail.contains("enable"), detail);
        }
    }

    @Test
    void blockRulesGroupsAndTokensAreCheckedFieldByField() throws Exception {
        assertProblem(Http.post("/blocklist", "{\"updateId\":\"a\",\"versionScheme\":\"bogus\"}"), 400,
                "versionScheme", "bogus");
        assertProblem(Http.post("/blocklist", "{\"namePattern\":\"([\"}"), 400, "namePattern", "wildcards");
        assertProblem(Http.post("/blocklist", "{\"updateId\":\"a\",\"sourceType\":\"no such\"}"), 400,
                "sourceType", "no such");
        assertProblem(Http.post("/groups", "{\"name\":\"port-" + System.nanoTime()
                + "\",\"windowsUpdate\":{\"source\":\"wsus\",\"wsusUrl\":\"https://host:99999\"}}"), 400,
                "windowsUpdate.wsusUrl", "99999");
        String name = "twice-" + System.nanoTime();
        assertEquals(201, Http.post("/tokens", "{\"name\":\"" + name + "\",\"role\":\"OPERATOR\"}").status());
        assertProblem(Http.post("/tokens", "{\"name\":\"" + name + "\",\"role\":\"READ_ONLY\"}"), 409, null,
                name);
        assertProblem(Http.post("/tokens", "{\"name\":\"device:d1\",\"role\":\"OPERATOR\"}"), 400, "name",
                "reserved");
    }

    @Test
    void aWeakETagNeverMatches() throws Exception {
        Http.Answer created = Http.post("/groups", "{\"name\":\"weak-" + System.nanoTime() + "\"}");
        String id = created.json().get("id").asText();
        assertProblem(Http.raw("PUT", "/groups/" + id, Map.of("Content-Type", "application/json", "If-Match",
                "W/\"1\""), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 412, null, "weak ETag");
        assertProblem(Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "W/\"1\""), null), 412, null,
                "weak ETag");
        assertProblem(Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "W/\"2\""), null), 412, null, "version");
        assertEquals(204, Http.raw("DELETE", "/groups/" + id, Map.of("If-Match", "\"1\""), null).status());
    }

    @Test
    void wildcardContentTypesAreNotJsonAndABundleIsAskedForAsAJar() throws Exception {
        for (String wildcard : List.of("*/*", "application/*")) {
            assertProblem(Http.raw("POST", "/devices", Map.of("Content-Type", wildcard),
                    device("").getBytes(StandardCharsets.UTF_8)), 415, null, "application/json");
        }
        Http.Answer text = Http.raw("PUT", "/sources/test/bundle", Map.of("Content-Type", "text/plain"),
                "x".getBytes(StandardCharsets.UTF_8));
        JsonNode p = assertProblem(text, 415, null, "application/java-archive");
        assertFalse(p.get("detail").asText().contains("application/json"), p.get("detail").asText());
    }

    @Test
    void parallelBundleReplacementsGetOneAnswerEachNever404() throws Exception {
        byte[] jar = Fixtures.testSource("1.0.1");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Http.Answer> answers = new ArrayList<>();
        try {
            List<Callable<Http.Answer>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                uploads.add(() -> Http.send(HttpRequest.newBuilder(URI.create(Http.api()
                        + "/sources/test/bundle?waitSeconds=20")).header("Content-Type", "application/java-archive")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(jar))));
            }
            for (Future<Http.Answer> f : pool.invokeAll(uploads)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        int replaced = 0;
        for (Http.Answer a : answers) {
            if (a.status() == 200) {
                replaced++;
            } else {
                assertProblem(a, 409, null, "a replacement of source 'test' is under way");
            }
        }
        assertTrue(replaced >= 1, answers.toString());
        Await.until("the test source back", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
