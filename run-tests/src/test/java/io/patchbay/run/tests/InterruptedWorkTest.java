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

    @Test
    void aRunKilledDuringItsInstallReadsInterruptedAfterTheRestart() throws Exception {
        try (Server server = new Server("kill-install")) {
            server.withTestSource("slow", STEP_MILLIS);
            server.start();
            String run = startRun(server);
            server.await("/runs/" + run + "/jobs", InterruptedWorkTest::installRunning, Duration.ofSeconds(60));
            server.kill();

            server.start();
            JsonNode after = server.getJson("/runs/" + run);
            String state = after.get("state").asText();
            assertNotEquals("SUCCEEDED", state, after.toString());
            assertEquals("INTERRUPTED", state, after.toString());
            assertTrue(after.get("reason").asText().contains("when the server stopped"), after.toString());
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
