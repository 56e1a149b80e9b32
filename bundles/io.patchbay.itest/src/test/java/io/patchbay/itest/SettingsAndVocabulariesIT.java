package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A group's Windows update settings and a policy's reboot reach the source as typed settings; vocabulary fields refuse
 * values outside their vocabulary, naming the field, the value and the allowed values.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class SettingsAndVocabulariesIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeEach
    void testSource() throws Exception {
        Http.awaitReady();
        fixture = Fixtures.installTestSource(context);
    }

    @AfterEach
    void removeSource() throws Exception {
        fixture.uninstall();
    }

    private static void assertRefused(Http.Answer a, String field, String... detailParts) {
        assertEquals(400, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        assertEquals(field, p.path("field").asText(), a.body());
        for (String part : detailParts) {
            assertTrue(p.get("detail").asText().contains(part), p.get("detail").asText());
        }
    }

    private static String group(String windowsUpdate) {
        return "{\"name\":\"" + StoreIT.unique("Windows") + "\",\"windowsUpdate\":" + windowsUpdate + "}";
    }

    @Test
    void aGroupKeepsItsWindowsUpdateSettingsAsOneObjectAndRefusesBadOnes() throws Exception {
        Http.Answer created = StoreIT.post("/groups",
                group("{\"source\":\"wsus\",\"wsusUrl\":\"https://wsus.example.com:8531\"}"), "ops");
        assertEquals(201, created.status(), created.body());
        JsonNode read = Http.get("/groups/" + created.json().get("id").asText()).json();
        assertEquals("wsus", read.get("windowsUpdate").get("source").asText());
        assertEquals("https://wsus.example.com:8531", read.get("windowsUpdate").get("wsusUrl").asText());
        assertFalse(read.has("windowsUpdateSource"), read.toString());

        Http.Answer plain = StoreIT.post("/groups", "{\"name\":\"" + StoreIT.unique("Plain") + "\"}", "ops");
        assertEquals("microsoft-update", plain.json().get("windowsUpdate").get("source").asText());

        int groups = StoreIT.count("/groups");
        assertRefused(StoreIT.post("/groups", "{\"name\":\"x\",\"windowsUpdateSource\":\"wsus\"}", "ops"),
                "windowsUpdateSource", "Unknown field");
        assertRefused(StoreIT.post("/groups", group("{\"source\":\"wsus-eu\"}"), "ops"), "windowsUpdate.source",
                "wsus-eu", "microsoft-update, wsus, keep-device-settings");
        assertRefused(StoreIT.post("/groups", group("{\"source\":\"wsus\"}"), "ops"), "windowsUpdate.wsusUrl",
                "required");
        assertRefused(StoreIT.post("/groups", group("{\"source\":\"wsus\",\"wsusUrl\":\"ftp://wsus.example.com\"}"),
                "ops"), "windowsUpdate.wsusUrl", "ftp://wsus.example.com", "http or https");
        assertRefused(StoreIT.post("/groups", group("{\"source\":\"wsus\",\"wsusUrl\":\"https:///x\"}"), "ops"),
                "windowsUpdate.wsusUrl", "https:///x");
        assertRefused(StoreIT.post("/groups", group("{\"source\":\"keep-device-settings\","
                + "\"wsusUrl\":\"https://wsus.example.com\"}"), "ops"), "windowsUpdate.wsusUrl", "only for");
        assertEquals(groups, StoreIT.count("/groups"), "nothing refused was stored");
    }

    @Test
    void policyFiltersTakeOnlyKnownValues() throws Exception {
        String advanced = StoreIT.policyJson(StoreIT.unique("Advanced")).replace("\"type\":\"patch-all\"",
                "\"type\":\"advanced\",\"sources\":[\"test\"],\"severities\":[\"critical\",\"important\"],"
                        + "\"classifications\":[\"security\",\"bugfix\"]");
        Http.Answer ok = StoreIT.post("/policies", advanced, "ops");
        assertEquals(201, ok.status(), ok.body());

        int policies = StoreIT.count("/policies");
        assertRefused(StoreIT.post("/policies", advanced.replace("\"bugfix\"", "\"bugfixes\""), "ops"),
                "classifications[1]", "bugfixes", "security", "application");
        assertRefused(StoreIT.post("/policies", advanced.replace("\"important\"", "\"Important\""), "ops"),
                "severities[1]", "Important", "critical, important, moderate, low, unspecified");
        assertRefused(StoreIT.post("/policies", advanced.replace("[\"test\"]", "[\"tset\"]"), "ops"), "sources[0]",
                "tset", "test");
        assertRefused(StoreIT.post("/policies", advanced.replace("\"advanced\"", "\"patch-some\""), "ops"), "type",
                "patch-some", "patch-all, patch-all-except, patch-only, advanced");
        assertEquals(policies, StoreIT.count("/policies"), "nothing refused was stored");

        assertRefused(StoreIT.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"updates\":[{\"id\":\"hello\",\"classification\":\"securty\"}]}", "ops"),
                "updates[0].classification", "securty", "security");
    }

    @Test
    void theSourceGetsTheGroupsWindowsUpdateSourceAndThePolicysReboot() throws Exception {
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Reboots")), "ops").json()
                .get("id").asText();
        String group = StoreIT.post("/groups", "{\"name\":\"" + StoreIT.unique("WSUS") + "\",\"policyIds\":[\""
                + policy + "\"],\"windowsUpdate\":{\"source\":\"wsus\",\"wsusUrl\":\"http://wsus.corp:8530\"}}",
                "ops").json().get("id").asText();
        Http.Answer before = Http.get("/devices/local");
        ObjectNode edited = (ObjectNode) before.json();
        edited.put("groupId", group);
        Http.Answer put = StoreIT.put("/devices/local", before.raw().headers().firstValue("ETag").orElseThrow(),
                edited.toString());
        try {
            assertEquals(200, put.status(), put.body());
            Http.Answer started = StoreIT.post("/runs", "{\"name\":\"" + StoreIT.unique("settings")
                    + "\",\"policyId\":\"" + policy + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"]}", "ops");
            assertEquals(201, started.status(), started.body());
            String runId = started.json().get("id").asText();
            JsonNode scan = Await.until("the run's scan to end", Duration.ofSeconds(60), () -> {
                try {
                    for (JsonNode j : Http.get("/runs/" + runId + "/jobs").json()) {
                        if (j.get("kind").asText().equals("SCAN") && j.get("endedAt") != null
                                && !j.get("endedAt").isNull()) {
                            return Http.get("/jobs/" + j.get("id").asText()).json();
                        }
                    }
                    return null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            String settings = null;
            for (JsonNode line : scan.get("log")) {
                if (line.get("message").asText().startsWith("settings: ")) {
                    settings = line.get("message").asText();
                }
            }
            assertTrue(settings != null, scan.toString());
            assertTrue(settings.contains("group " + group), settings);
            assertTrue(settings.contains("policy " + policy), settings);
            assertTrue(settings.contains("Windows updates from wsus http://wsus.corp:8530"), settings);
            assertTrue(settings.contains("reboot RESTART_WHEN_NEEDED"), settings);
        } finally {
            JsonNode now = Http.get("/devices/local").json();
            ((ObjectNode) now).putNull("groupId");
            assertEquals(200, StoreIT.put("/devices/local", "\"" + now.get("version").asText() + "\"", now.toString())
                    .status());
        }
    }
}
