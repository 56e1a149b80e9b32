package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

import com.fasterxml.jackson.databind.JsonNode;

/** Ids with line breaks cannot forge lines in the server log: they are refused, and log lines escape them anyway. */
class LogForgingIT {
    private static final String FORGED = "a\\r\\n2026-01-01 00:00:00,000 INFO  [main] io.patchbay - forged";

    @BeforeAll
    static void ready() throws Exception {
        StoreIT.ready();
    }

    private static void assertRefused(Http.Answer a, String field) {
        assertEquals(400, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        assertEquals(field, p.path("field").asText(), a.body());
        assertTrue(p.get("detail").asText().contains("control characters"), a.body());
        assertFalse(p.get("detail").asText().contains("\n"), "the detail shows the value escaped: " + a.body());
    }

    @Test
    void controlCharactersInIdsAndNamesAreRefusedNamingTheField() throws Exception {
        int devices = StoreIT.count("/devices");
        int groups = StoreIT.count("/groups");
        assertRefused(StoreIT.post("/groups", "{\"name\":\"" + FORGED + "\"}", "ops"), "name");
        assertRefused(StoreIT.post("/devices", "{\"hostname\":\"pc1\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\","
                + "\"tags\":[\"ok\",\"" + FORGED + "\"]}", "ops"), "tags[1]");
        assertRefused(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"" + FORGED + "\",\"sourceId\":\"test\"}"),
                "deviceId");
        assertRefused(Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"updates\":[{\"id\":\"" + FORGED + "\"}]}"), "updates[0].id");
        assertRefused(Http.post("/blocklist", "{\"updateId\":\"" + FORGED + "\"}"), "updateId");
        assertRefused(StoreIT.post("/runs", "{\"name\":\"r\",\"sourceId\":\"test\",\"updateId\":\"" + FORGED + "\"}",
                "ops"), "updateId");
        // Jetty itself refuses control characters in a path, before the API sees it
        assertEquals(400, Http.get("/devices/a%0D%0Aforged").status());
        assertEquals(400, Http.get("/devices/a%07forged").status());
        assertRefused(Http.get("/jobs?deviceId=a%0Aforged"), "deviceId");
        assertRefused(Http.get("/audit?entityId=a%07"), "entityId");
        assertEquals(devices, StoreIT.count("/devices"), "nothing was stored");
        assertEquals(groups, StoreIT.count("/groups"));

        Http.Answer described = StoreIT.post("/groups", "{\"name\":\"" + StoreIT.unique("Described")
                + "\",\"description\":\"line one\\nline two\"}", "ops");
        assertEquals(201, described.status(), "a description may have several lines: " + described.body());
    }

    @Test
    void aHeaderNamingSomeoneElseIsNotTheActor() throws Exception {
        Http.Answer a = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/groups"))
                .header("Content-Type", "application/json").header("X-Patchbay-User", "mallory")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + StoreIT.unique("Header") + "\"}")));
        assertEquals(201, a.status(), a.body());
        JsonNode audited = Http.get("/audit?entity=group&entityId=" + a.json().get("id").asText()).json()
                .get("items").get(0);
        assertEquals("itest-admin", audited.get("actor").asText(), audited.toString());
    }

    @Test
    void logLinesShowLineBreaksEscaped() throws Exception {
        String marker = "forging-test-" + UUID.randomUUID();
        java.util.logging.Logger.getLogger("io.patchbay.itest.LogForgingIT")
                .warning("device " + marker + "\r\nINFO  [main] io.patchbay - " + marker + " forged\u0007");
        Path log = Path.of(FrameworkUtil.getBundle(LogForgingIT.class).getBundleContext()
                .getProperty("patchbay.data"), "logs", "patchbay.log");
        List<String> lines = Await.until("the line in " + log, Duration.ofSeconds(10), () -> {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return all.stream().anyMatch(l -> l.contains(marker)) ? all : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        List<String> mine = lines.stream().filter(l -> l.contains(marker)).toList();
        assertEquals(1, mine.size(), "one line, not two: " + mine);
        assertTrue(mine.get(0).contains(marker + "\\r\\nINFO  [main] io.patchbay - " + marker + " forged?"),
                mine.get(0));
    }
}
