package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
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

/**
 * Policy runs use the sources a device can use and say which they skipped; disabled policies and unknown options are
 * refused; what is blocked is decided when read; the CSV report cannot smuggle formulas or columns.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class PolicyRunIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeEach
    void testSource() throws Exception {
        StoreIT.ready();
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("the test source", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200 && Http.get("/sources/dnf").status() == 200
                        && Http.get("/sources/apt").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterEach
    void removeSource() throws Exception {
        fixture.uninstall();
    }

    private static String device(String osName) throws Exception {
        return StoreIT.post("/devices", "{\"hostname\":\"srv-" + osName + "\",\"osFamily\":\"linux\",\"osName\":\""
                + osName + "\",\"timeZone\":\"UTC\"}", "ops").json().get("id").asText();
    }

    private static String policy(String extra) throws Exception {
        String json = StoreIT.policyJson(StoreIT.unique("Runs"));
        return StoreIT.post("/policies", json.substring(0, json.length() - 1) + extra + "}", "ops").json().get("id")
                .asText();
    }

    @Test
    void aRunWithoutSourceIdsUsesTheSourcesOfTheDeviceDistributionAndSaysWhichItSkipped() throws Exception {
        String debian = device("debian");
        String rocky = device("rocky");
        Http.Answer started = StoreIT.post("/runs", "{\"name\":\"by distribution\",\"policyId\":\"" + policy("")
                + "\",\"deviceIds\":[\"" + debian + "\",\"" + rocky + "\"]}", "ops");
        assertEquals(201, started.status(), started.body());
        JsonNode run = started.json();
        JsonNode jobs = Http.get("/runs/" + run.get("id").asText() + "/jobs").json();
        boolean aptOnDebian = false;
        boolean dnfOnRocky = false;
        for (JsonNode j : jobs) {
            String device = j.get("deviceId").asText();
            String source = j.get("sourceId").asText();
            assertFalse(device.equals(debian) && source.equals("dnf"), "no dnf scan on Debian: " + jobs);
            assertFalse(device.equals(rocky) && source.equals("apt"), "no apt scan on Rocky: " + jobs);
            aptOnDebian |= device.equals(debian) && source.equals("apt");
            dnfOnRocky |= device.equals(rocky) && source.equals("dnf");
        }
        assertTrue(aptOnDebian && dnfOnRocky, jobs.toString());
        String skipped = run.get("skipped").toString();
        assertTrue(skipped.contains("'dnf'") && skipped.contains("debian"), skipped);
        assertTrue(skipped.contains("'apt'") && skipped.contains("rocky"), skipped);
        assertEquals(skipped, Http.get("/runs/" + run.get("id").asText()).json().get("skipped").toString(),
                "kept with the run");
    }

    @Test
    void aDisabledPolicyDoesNotRunAndUnknownOptionsAreRefused() throws Exception {
        int before = Http.get("/runs?limit=500").json().get("items").size();
        Http.Answer disabled = StoreIT.post("/runs", "{\"name\":\"off\",\"policyId\":\"" + policy(",\"enabled\":false")
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"]}", "ops");
        assertEquals(409, disabled.status(), disabled.body());
        assertTrue(disabled.json().get("detail").asText().contains("disabled"), disabled.body());
        Http.Answer options = StoreIT.post("/runs", "{\"name\":\"opt\",\"policyId\":\"" + policy("")
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"],\"options\":{\"reboot\":\"never\"}}", "ops");
        assertEquals(400, options.status(), options.body());
        assertEquals("options.reboot", options.json().get("field").asText());
        assertEquals(before, Http.get("/runs?limit=500").json().get("items").size(), "no run was started");
    }

    private static JsonNode summary(String sourceId, String updateId) throws Exception {
        String cursor = null;
        do {
            JsonNode page = Http.get("/updates?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode u : page.get("items")) {
                if (u.get("sourceId").asText().equals(sourceId) && u.get("updateId").asText().equals(updateId)) {
                    return u;
                }
            }
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        return null;
    }

    private static JsonNode missing(String sourceId, String updateId) throws Exception {
        return Http.get("/updates/devices?sourceId=" + sourceId + "&updateId=" + updateId).json();
    }

    private static void assertConsistent(boolean localMisses) throws Exception {
        JsonNode devices = missing("test", "hello");
        boolean local = false;
        for (JsonNode d : devices) {
            local |= d.asText().equals("local");
        }
        assertEquals(localMisses, local, devices.toString());
        assertEquals(devices.size(), summary("test", "hello").get("impactedDevices").asInt(),
                "/updates counts the devices /updates/devices lists");
    }

    @Test
    void whetherAnUpdateIsBlockedIsDecidedWhenRead() throws Exception {
        String ruleId = StoreIT.post("/blocklist", "{\"updateId\":\"hello\",\"reason\":\"test\"}", "ops").json()
                .get("id").asText();
        String again = null;
        try {
            String scan = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}")
                    .json().get("id").asText();
            assertEquals("SUCCEEDED", Http.get("/jobs/" + scan + "?waitSeconds=20").json().get("state").asText());
            // an ended job is recorded with its results in the transaction that ends it
            assertConsistent(false);
            assertEquals(204, StoreIT.delete("/blocklist/" + ruleId, "\"1\"").status());
            ruleId = null;
            assertConsistent(true);
            again = StoreIT.post("/blocklist", "{\"updateId\":\"hello\"}", "ops").json().get("id").asText();
            assertConsistent(false);
        } finally {
            for (String id : new String[] { ruleId, again }) {
                if (id != null) {
                    StoreIT.delete("/blocklist/" + id, "\"1\"");
                }
            }
        }
    }

    @Test
    void csvCellsAreQuotedAndFormulasNeutralised() throws Exception {
        String suffix = StoreIT.unique("");
        String formula = "=cmd|' /C calc'!A0" + suffix;
        String separator = "Ops\u2028,\\\"x\\\"" + suffix;
        String formulaGroup = StoreIT.post("/groups", "{\"name\":\"" + formula.replace("\\", "\\\\") + "\"}", "ops")
                .json().get("id").asText();
        Http.Answer sep = StoreIT.post("/groups", "{\"name\":\"" + separator + "\"}", "ops");
        assertEquals(201, sep.status(), sep.body());
        for (String g : new String[] { formulaGroup, sep.json().get("id").asText() }) {
            StoreIT.post("/devices", "{\"hostname\":\"csv\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\",\"groupId\":\""
                    + g + "\"}", "ops");
        }
        Http.Answer csv = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/reports/compliance"))
                .header("Accept", "text/csv").GET());
        assertEquals(200, csv.status(), csv.body());
        assertEquals("text/csv;charset=utf-8", csv.contentType().replace(" ", "").toLowerCase());
        assertTrue(csv.body().contains("\"" + formulaGroup + "\",\"'" + formula + "\",\"1\","), csv.body());
        assertTrue(csv.body().contains(",\"Ops\u2028,\"\"x\"\"" + suffix + "\","), csv.body());
        for (String line : csv.body().split("\r\n")) {
            assertTrue(line.startsWith("\"") && line.endsWith("\""), "every cell quoted: " + line);
        }
    }
}
