package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** What the API acknowledged (2xx) is there after the process ends with SIGTERM or kill -9 and starts again. */
class AcknowledgedWritesTest {
    static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    /** The ids of one of everything the store keeps, written over HTTP. */
    record Written(String device, String group, String policy, String blockRule, String run) {
    }

    static Written writeOneOfEach(Server server) throws Exception {
        String policy = server.post("/policies", "{\"name\":\"Patch all\",\"type\":\"patch-all\",\"schedule\":"
                + "{\"frequency\":\"monthly\",\"weekOfMonth\":2,\"dayOfWeek\":\"TUESDAY\",\"offsetDays\":1,"
                + "\"time\":\"02:00\",\"windowMinutes\":180}}").get("id").asText();
        String group = server.post("/groups", "{\"name\":\"Berlin office\",\"policyIds\":[\"" + policy + "\"]}")
                .get("id").asText();
        String device = server.post("/devices", "{\"hostname\":\"ws-042\",\"osFamily\":\"linux\",\"timeZone\":"
                + "\"Europe/Berlin\",\"groupId\":\"" + group + "\"}").get("id").asText();
        String rule = server.post("/blocklist", "{\"updateId\":\"KB5034441\",\"reason\":\"fails on BitLocker\"}")
                .get("id").asText();
        String run = server.post("/runs", "{\"name\":\"Kill test\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"],\"durationMinutes\":30}").get("id").asText();
        return new Written(device, group, policy, rule, run);
    }

    static void readBack(Server server, Written w) throws Exception {
        assertEquals("ws-042", server.getJson("/devices/" + w.device()).get("hostname").asText());
        assertEquals("Berlin office", server.getJson("/groups/" + w.group()).get("name").asText());
        assertEquals("Patch all", server.getJson("/policies/" + w.policy()).get("name").asText());
        assertEquals("KB5034441", server.getJson("/blocklist/" + w.blockRule()).get("updateId").asText());
        JsonNode run = server.getJson("/runs/" + w.run());
        assertEquals("Kill test", run.get("name").asText());
    }

    @Test
    void writesSurviveSigterm() throws Exception {
        try (Server server = new Server("sigterm")) {
            server.withTestSource();
            server.start();
            Written written = writeOneOfEach(server);
            server.await("/runs/" + written.run(), r -> !r.get("state").asText().equals("RUNNING"),
                    Duration.ofSeconds(60));

            int exit = server.terminate(STOP_LIMIT);
            assertTrue(server.output().contains("Stopped Jetty") || server.log().contains("Stopped Jetty"),
                    "the framework stopped in order (exit " + exit + "):\n" + server.output());

            server.start();
            readBack(server, written);
            assertEquals("SUCCEEDED", server.getJson("/runs/" + written.run()).get("state").asText(),
                    "a run that ended before the stop keeps its outcome");
        }
    }

    @Test
    void writesSurviveKill9RightAfterTheAnswer() throws Exception {
        try (Server server = new Server("kill9")) {
            server.withTestSource();
            server.start();
            Written written = writeOneOfEach(server);
            server.kill();

            server.start();
            readBack(server, written);
            assertTrue(!server.getJson("/runs/" + written.run()).get("state").asText().equals("SUCCEEDED")
                    || server.getJson("/runs/" + written.run() + "/jobs").size() == 2,
                    "a run reads SUCCEEDED only when its scan and its install are both recorded");
        }
    }
}
