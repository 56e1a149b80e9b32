package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Runs of a policy and of one update, their results by run, KB, device and title, and the compliance report. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class RunsIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeEach
    void testSource() throws Exception {
        Http.awaitReady();
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("the test source", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200 && Http.get("/runs").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterEach
    void removeSource() throws Exception {
        fixture.uninstall();
    }

    private static JsonNode awaitRun(String id) throws Exception {
        return Await.until("run " + id + " to end", Duration.ofSeconds(60), () -> {
            try {
                JsonNode run = Http.get("/runs/" + id).json();
                return run.get("state").asText().equals("RUNNING") ? null : run;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aPolicyRunScansThenInstallsWhatThePolicySelects() throws Exception {
        String name = StoreIT.unique("Patch Tuesday");
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("All but world"))
                .replace("\"type\":\"patch-all\"", "\"type\":\"patch-all-except\",\"exclusions\":[\"wor*\"]"), "ops")
                .json().get("id").asText();
        Http.Answer started = StoreIT.post("/runs", "{\"name\":\"" + name + "\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"],\"durationMinutes\":30}", "ops@example.com");
        assertEquals(201, started.status(), started.body());
        JsonNode run = awaitRun(started.json().get("id").asText());
        assertEquals("SUCCEEDED", run.get("state").asText(), run.toString());
        assertEquals(2, run.get("jobStates").get("SUCCEEDED").asInt(), "a scan, then an install");
        JsonNode audited = Http.get("/audit?entity=run&entityId=" + run.get("id").asText()).json().get("items");
        assertEquals("ops@example.com", audited.get(0).get("actor").asText(), "starting a run is audited");

        JsonNode jobs = Http.get("/runs/" + run.get("id").asText() + "/jobs").json();
        JsonNode install = null;
        for (JsonNode j : jobs) {
            if (j.get("kind").asText().equals("INSTALL")) {
                install = j;
            }
        }
        assertTrue(install != null, jobs.toString());
        assertEquals(1, install.get("results").size(), "world is excluded by the policy");
        assertEquals("hello", install.get("results").get(0).get("updateId").asText());

        JsonNode byRun = Http.get("/results?runName=" + name.split(" ")[2]).json();
        assertEquals(1, byRun.get("items").size(), byRun.toString());
        assertEquals("SUCCEEDED", byRun.get("items").get(0).get("status").asText());
        assertEquals(name, byRun.get("items").get(0).get("runName").asText());
        assertTrue(Http.get("/results?update=HELLO&deviceId=local").json().get("items").size() >= 1,
                "found by update id, whatever its case");
        assertTrue(Http.get("/results?title=hello%201.1").json().get("items").size() >= 1, "found by title");
        assertEquals(0, Http.get("/results?deviceId=no-such-device").json().get("items").size());

        // world is still missing on the device: it is listed with its impacted device, and can be installed alone
        JsonNode updates = Http.get("/updates?limit=500").json();
        JsonNode world = null;
        for (JsonNode u : updates.get("items")) {
            if (u.get("sourceId").asText().equals("test") && u.get("updateId").asText().equals("world")) {
                world = u;
            }
        }
        assertTrue(world != null, updates.toString());
        assertEquals(1, world.get("impactedDevices").asInt());
        assertEquals("linux", world.get("osFamily").asText());
        assertEquals("[\"local\"]", Http.get("/updates/devices?sourceId=test&updateId=world").body());
        Http.Answer single = StoreIT.post("/updates/install", "{\"sourceId\":\"test\",\"updateId\":\"world\"}", "ops");
        assertEquals(201, single.status(), single.body());
        assertEquals("SUCCEEDED", awaitRun(single.json().get("id").asText()).get("state").asText());
        assertEquals("[]", Http.get("/updates/devices?sourceId=test&updateId=world").body(), "nothing misses it now");
    }

    @Test
    void anUpdateThatNeedsARebootMarksTheStoredDevice() throws Exception {
        org.osgi.service.cm.ConfigurationAdmin cm = context.getService(context.getServiceReference(
                org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = cm.getFactoryConfiguration("io.patchbay.test.source", "reboot", "?");
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("patchbay.source.id", "kernelish");
        props.put("rebootPackages", new String[] { "hello" });
        config.update(props);
        try {
            JsonNode device = StoreIT.post("/devices", "{\"hostname\":\"srv-9\",\"osFamily\":\"linux\","
                    + "\"timeZone\":\"UTC\"}", "ops").json();
            String id = device.get("id").asText();
            // the stored device is reachable through a host of the test's own (the agent will provide these)
            context.registerService(io.patchbay.api.HostProvider.class, d -> id.equals(d.id)
                    ? java.util.Optional.of(new WindowsFixtures.RegistryHost()) : java.util.Optional.empty(), null);
            Await.until("the kernelish source", Duration.ofSeconds(20), () -> {
                try {
                    return Http.get("/sources/kernelish").status() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Reboots")), "ops").json()
                    .get("id").asText();
            Http.Answer run = StoreIT.post("/runs", "{\"name\":\"reboot\",\"policyId\":\"" + policy
                    + "\",\"deviceIds\":[\"" + id + "\"],\"sourceIds\":[\"kernelish\"]}", "ops");
            assertEquals(201, run.status(), run.body());
            assertEquals("SUCCEEDED", awaitRun(run.json().get("id").asText()).get("state").asText());
            assertTrue(Await.until("the pending reboot", Duration.ofSeconds(10), () -> {
                try {
                    return Http.get("/devices/" + id).json().get("pendingReboot").asBoolean();
                } catch (Exception e) {
                    return false;
                }
            }));
        } finally {
            config.delete();
        }
    }

    @Test
    void jobsThatEndedBeforeARestartOfTheCoreAreStillReadable() throws Exception {
        Http.Answer created = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}");
        String id = created.json().get("id").asText();
        assertEquals("SUCCEEDED", Http.get("/jobs/" + id + "?waitSeconds=20").json().get("state").asText());
        Await.until("the job to be recorded", Duration.ofSeconds(10), () -> {
            try {
                return Http.get("/results?limit=1").status() == 200
                        && Http.get("/audit?limit=1").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        Bundle core = null;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("io.patchbay.core")) {
                core = b;
            }
        }
        core.stop();
        core.start();
        Http.awaitReady();
        JsonNode job = Await.until("the job after the restart", Duration.ofSeconds(20), () -> {
            try {
                Http.Answer a = Http.get("/jobs/" + id);
                return a.status() == 200 ? a.json() : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertEquals("SUCCEEDED", job.get("state").asText());
        assertEquals(2, job.get("found").size(), "with what it found");
        Http.Answer waited = Http.get("/jobs/" + id + "?waitSeconds=1");
        assertEquals(200, waited.status(), "waiting for a job that ended before the restart: " + waited.body());
    }

    @Test
    void runsRefuseWhatCannotBeRun() throws Exception {
        int before = Http.get("/runs?limit=500").json().get("items").size();
        assertEquals(400, StoreIT.post("/runs", "{\"name\":\"x\"}", "ops").status());
        Http.Answer noPolicy = StoreIT.post("/runs", "{\"name\":\"x\",\"policyId\":\"nope\",\"deviceIds\":[\"local\"]}",
                "ops");
        assertEquals(400, noPolicy.status());
        assertEquals("policyId", noPolicy.json().get("field").asText());
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Unassigned")), "ops").json()
                .get("id").asText();
        Http.Answer nobody = StoreIT.post("/runs", "{\"name\":\"x\",\"policyId\":\"" + policy + "\"}", "ops");
        assertEquals(400, nobody.status());
        assertTrue(nobody.json().get("detail").asText().contains("no device is in a group with this policy"));
        Http.Answer badDevice = StoreIT.post("/runs", "{\"name\":\"x\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"ghost\"]}", "ops");
        assertEquals("deviceIds[0]", badDevice.json().get("field").asText());
        assertEquals(400, StoreIT.post("/updates/install", "{\"sourceId\":\"test\",\"updateId\":\"nothing\"}", "ops")
                .status());
        assertEquals(before, Http.get("/runs?limit=500").json().get("items").size(), "no run was started");
    }

    @Test
    void theComplianceReportCountsDevicesPerGroupInJsonAndCsv() throws Exception {
        String group = StoreIT.post("/groups", "{\"name\":\"" + StoreIT.unique("Report, \\\"quoted\\\"") + "\"}", "ops")
                .json().get("id").asText();
        StoreIT.post("/devices", "{\"hostname\":\"never-scanned\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\","
                + "\"groupId\":\"" + group + "\"}", "ops");
        StoreIT.post("/devices", "{\"hostname\":\"hidden\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\","
                + "\"groupId\":\"" + group + "\",\"excludedFromReports\":true}", "ops");
        JsonNode report = Http.get("/reports/compliance").json();
        JsonNode counts = null;
        for (JsonNode g : report.get("groups")) {
            if (group.equals(g.path("groupId").asText())) {
                counts = g;
            }
        }
        assertTrue(counts != null, report.toString());
        assertEquals(1, counts.get("devices").asInt(), "the excluded device is left out");
        assertEquals(1, counts.get("unknown").asInt());
        assertTrue(report.get("overall").get("devices").asInt() >= 1);

        Http.Answer csv = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Http.api()
                + "/reports/compliance")).header("Accept", "text/csv").GET());
        assertEquals(200, csv.status());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertTrue(csv.body().startsWith("\"group_id\",\"group\",\"devices\",\"compliant\",\"missing_critical\","
                + "\"missing_any\",\"unknown\"\r\n"), csv.body());
        assertTrue(csv.body().contains("\"" + group + "\",\"Report, \"\"quoted\"\""), "RFC 4180 quoting: " + csv.body());
    }
}
