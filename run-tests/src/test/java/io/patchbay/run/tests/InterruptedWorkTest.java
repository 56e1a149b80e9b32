package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Work under way when the process ends is never reported as done. */
class InterruptedWorkTest {
    /** Each install step of the slow source takes this long: long enough to stop the server in the middle. */
    static final long STEP_MILLIS = 60_000;

    private static String startRun(Server server) throws Exception {
        String policy = server.post("/policies", "{\"name\":\"Patch all\",\"type\":\"patch-all\",\"schedule\":"
                + "{\"frequency\":\"monthly\",\"weekOfMonth\":2,\"dayOfWeek\":\"TUESDAY\",\"offsetDays\":1,"
                + "\"time\":\"02:00\",\"windowMinutes\":180}}").get("id").asText();
        return server.post("/runs", "{\"name\":\"Interrupted\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"slow\"],\"durationMinutes\":30}").get("id").asText();
    }

    private static boolean installRunning(JsonNode jobs) {
        for (JsonNode j : jobs) {
            if (j.get("kind").asText().equals("INSTALL") && j.get("state").asText().equals("RUNNING")) {
                return true;
            }
        }
        return false;
    }

    /** Claims held by a killed process run out after this long, and the restarted server takes the job over. */
    private static void shortLeases(Server server) throws Exception {
        java.nio.file.Files.writeString(server.plugins().resolve("io.patchbay.core.cfg"), "leaseSeconds=3\n");
    }

    private static JsonNode retryOf(Server server, String jobId) throws Exception {
        for (JsonNode j : server.getJson("/jobs?limit=500").get("items")) {
            if (jobId.equals(j.path("retryOf").asText(null))) {
                return j;
            }
        }
        return null;
    }

    @Test
    void anInstallKilledMidwayIsInterruptedWhenItsLeaseRunsOutAndTriedAgain() throws Exception {
        try (Server server = new Server("kill-install")) {
            server.withTestSource("slow", STEP_MILLIS);
            shortLeases(server);
            server.start();
            String run = startRun(server);
            server.await("/runs/" + run + "/jobs", InterruptedWorkTest::installRunning, Duration.ofSeconds(60));
            String install = null;
            for (JsonNode j : server.getJson("/runs/" + run + "/jobs")) {
                if (j.get("kind").asText().equals("INSTALL")) {
                    install = j.get("id").asText();
                }
            }
            server.kill();

            // the queue is kept: the job the dead process held ends once its claim runs out, and is tried again
            server.start();
            JsonNode ended = server.await("/jobs/" + install, j -> j.get("state").asText().equals("INTERRUPTED"),
                    Duration.ofSeconds(60));
            assertTrue(ended.get("reason").asText().contains("stopped renewing its lease"), ended.toString());
            JsonNode retry = retryOf(server, install);
            assertTrue(retry != null, "the install is tried again");
            assertEquals(2, retry.get("attempt").asInt(), retry.toString());
            assertEquals(run, retry.get("runId").asText(), retry.toString());
            JsonNode after = server.getJson("/runs/" + run);
            assertNotEquals("SUCCEEDED", after.get("state").asText(), after.toString());
        }
    }

    @Test
    void sigtermEndsARunningJobInterruptedAndRecordsIt() throws Exception {
        try (Server server = new Server("sigterm-job")) {
            server.withTestSource("slow", STEP_MILLIS);
            server.start();
            String job = server.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"slow\","
                    + "\"updates\":[{\"id\":\"hello\",\"version\":\"1.1\"}]}").get("id").asText();
            server.await("/jobs/" + job, j -> j.get("state").asText().equals("RUNNING"), Duration.ofSeconds(60));

            // the slow source's step is far longer: the stop must interrupt it, and within a bound
            server.terminate(Duration.ofSeconds(60));

            server.start();
            JsonNode ended = server.getJson("/jobs/" + job);
            assertEquals("INTERRUPTED", ended.get("state").asText(), ended.toString());
            // the sources stop before the core: the reason is the stop, not a source that left and comes back
            assertTrue(ended.get("reason").asText().contains("the server stopped"), ended.toString());
            // the next attempt was queued with the end, and the restarted server runs it
            JsonNode retry = retryOf(server, job);
            assertTrue(retry != null, "the job is tried again after the restart");
            assertEquals(2, retry.get("attempt").asInt(), retry.toString());
        }
    }

    @Test
    void aRunWithoutJobsIsNeverSucceeded() throws Exception {
        try (Server server = new Server("no-jobs")) {
            server.start();
            String policy = server.post("/policies", "{\"name\":\"Patch all\",\"type\":\"patch-all\",\"schedule\":"
                    + "{\"frequency\":\"monthly\",\"weekOfMonth\":2,\"dayOfWeek\":\"TUESDAY\",\"offsetDays\":1,"
                    + "\"time\":\"02:00\",\"windowMinutes\":180}}").get("id").asText();
            String device = server.post("/devices", "{\"hostname\":\"ws-1\",\"osFamily\":\"windows\","
                    + "\"timeZone\":\"UTC\"}").get("id").asText();
            // apt serves no Windows device: the run has nothing to do
            HttpResponse<String> started = server.send(HttpRequest.newBuilder(server.uri("/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"Nothing\",\"policyId\":\"" + policy + "\",\"deviceIds\":[\"" + device
                                    + "\"],\"sourceIds\":[\"apt\"],\"durationMinutes\":30}")));
            if (started.statusCode() == 201) {
                JsonNode run = server.getJson("/runs/" + Server.JSON.readTree(started.body()).get("id").asText());
                assertEquals("FAILED", run.get("state").asText(), run.toString());
                assertTrue(run.get("reason").asText().contains("no jobs"), run.toString());
            } else {
                assertEquals(400, started.statusCode(), "refused as bad input, if not started: " + started.body());
            }
        }
    }
}
