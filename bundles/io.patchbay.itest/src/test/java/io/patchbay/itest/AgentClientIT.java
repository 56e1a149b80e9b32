package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * A scripted agent against the running server: devices registered by hand, which no server-side host reaches, get
 * their jobs through the agent endpoints, and what the agent reports is what the API then shows.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class AgentClientIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    // the agent's updates have ids of their own: what it reports must not show up in other tests' queries of 'test'
    @BeforeAll
    static void ready() throws Exception {
        StoreIT.ready();
    }

    @BeforeEach
    void installSource() throws Exception {
        // the server knows the source by id; on an agent's device the agent's own copy of it runs the job
        fixture = Fixtures.installTestSource(context);
    }

    @AfterAll
    static void forgetDeviceSecrets() {
        Http.forgetDevices();
    }

    @AfterEach
    void uninstallSource() throws Exception {
        if (fixture != null) {
            fixture.uninstall();
        }
    }

    private static JsonNode job(String id) throws Exception {
        Http.Answer a = Http.get("/jobs/" + id);
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    private static List<JsonNode> items(String path) throws Exception {
        Http.Answer a = Http.get(path);
        assertEquals(200, a.status(), path + ": " + a.body());
        List<JsonNode> list = new ArrayList<>();
        JsonNode json = a.json();
        (json.isArray() ? json : json.get("items")).forEach(list::add);
        return list;
    }

    @Test
    void aScanAndAnInstallRunThroughTheAgentAndTheirOutcomesAreRecordedOnce() throws Exception {
        AgentClient agent = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        String scan = agent.submit("SCAN", "test", null);

        JsonNode claim = agent.claimJob();
        assertEquals(scan, agent.jobId());
        assertEquals("SCAN", claim.get("job").get("kind").asText());
        assertEquals(1, claim.get("job").get("attempt").asInt());
        assertFalse(claim.get("stopRequested").asBoolean(), claim.toString());
        assertTrue(Instant.parse(claim.get("leaseExpiresAt").asText()).isAfter(Instant.now()), claim.toString());
        assertEquals("RUNNING", job(scan).get("state").asText());
        assertEquals(204, agent.claim(0).status(), "one running job per device: nothing else is due");

        Http.Answer progressed = agent.progress(50, "refreshing package lists", "apt-get update");
        assertEquals(200, progressed.status(), progressed.body());
        assertFalse(progressed.json().get("stopRequested").asBoolean(), progressed.body());
        JsonNode running = job(scan);
        assertEquals(50, running.get("progress").asInt(), running.toString());
        assertEquals("refreshing package lists", running.get("progressMessage").asText());

        Http.Answer reported = agent.reportFound("SUCCEEDED", "agent-hello:1.0:1.1", "agent-world:2.0:2.1");
        assertEquals(200, reported.status(), reported.body());
        assertEquals("SUCCEEDED", reported.json().get("state").asText(), reported.body());
        assertEquals(2, reported.json().get("found").size(), reported.body());
        Http.Answer again = agent.reportFound("SUCCEEDED", "agent-hello:1.0:1.1", "agent-world:2.0:2.1");
        assertEquals(200, again.status(), "a repeated report is answered as the first: " + again.body());
        assertEquals(reported.json().get("endedAt"), again.json().get("endedAt"));
        JsonNode scanned = job(scan);
        assertEquals("SUCCEEDED", scanned.get("state").asText());
        assertEquals(2, scanned.get("found").size(), scanned.toString());
        assertTrue(scanned.get("log").toString().contains("apt-get update"), scanned.toString());
        assertEquals(1, items("/updates/devices?sourceId=test&updateId=agent-hello").stream()
                .filter(d -> d.asText().equals(agent.deviceId) || d.path("id").asText().equals(agent.deviceId))
                .count(), "the scan's finding is recorded once for the device");

        String install = agent.submit("INSTALL", "test",
                "[{\"id\":\"agent-hello\",\"version\":\"1.1\"},{\"id\":\"agent-world\",\"version\":\"2.1\"}]");
        JsonNode installClaim = agent.claimJob();
        assertEquals(install, agent.jobId());
        assertEquals(2, installClaim.get("job").get("requested").size(), installClaim.toString());
        Http.Answer results = agent.reportResults("FAILED", "agent-hello:SUCCEEDED:1.0:1.1",
                "agent-world:FAILED:2.0:2.0");
        assertEquals(200, results.status(), results.body());
        assertEquals("FAILED", results.json().get("state").asText());
        assertEquals(200, agent.reportResults("FAILED", "agent-hello:SUCCEEDED:1.0:1.1",
                "agent-world:FAILED:2.0:2.0").status(), "the repeated report is not an error");

        List<JsonNode> recorded = items("/results?deviceId=" + agent.deviceId);
        assertEquals(2, recorded.size(), "one result per update, recorded once: " + recorded);
        for (JsonNode r : recorded) {
            assertEquals(install, r.get("jobId").asText(), r.toString());
            assertEquals(r.get("updateId").asText().equals("agent-hello") ? "SUCCEEDED" : "FAILED",
                    r.get("status").asText(), r.toString());
        }
        assertEquals("1.1", recorded.stream().filter(r -> r.get("updateId").asText().equals("agent-hello"))
                .findFirst().orElseThrow().get("versionAfter").asText());
        assertEquals(204, agent.claim(0).status(), "nothing is left to claim");
    }

    @Test
    void aReportNamingAnUpdateThatWasNotRequestedIsRefusedAndChangesNothing() throws Exception {
        AgentClient agent = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        String install = agent.submit("INSTALL", "test", "[{\"id\":\"agent-hello\",\"version\":\"1.1\"}]");
        agent.claimJob();

        Http.Answer refused = agent.reportResults("SUCCEEDED", "agent-hello:SUCCEEDED:1.0:1.1",
                "nope:SUCCEEDED:1:2");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertTrue(refused.json().get("detail").asText().contains("nope"), refused.body());
        assertEquals("RUNNING", job(install).get("state").asText(), "the refused report ended nothing");
        assertTrue(items("/results?deviceId=" + agent.deviceId).isEmpty(), "nothing recorded from it");

        Http.Answer accepted = agent.reportResults("SUCCEEDED", "agent-hello:SUCCEEDED:1.0:1.1");
        assertEquals(200, accepted.status(), accepted.body());
        assertEquals(1, items("/results?deviceId=" + agent.deviceId).size());
    }

    @Test
    void aCancelReachesTheAgentAsStopRequested() throws Exception {
        AgentClient agent = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        String scan = agent.submit("SCAN", "test", null);
        agent.claimJob();
        Http.Answer cancelled = Http.post("/jobs/" + scan + "/cancel", "");
        assertEquals(202, cancelled.status(), cancelled.body());

        Http.Answer progressed = agent.progress(10, "still going");
        assertEquals(200, progressed.status(), progressed.body());
        assertTrue(progressed.json().get("stopRequested").asBoolean(), progressed.body());
        assertTrue(progressed.json().get("stopReason").asText().contains("cancelled"), progressed.body());

        Http.Answer ended = agent.reportEnded("CANCELLED", progressed.json().get("stopReason").asText());
        assertEquals(200, ended.status(), ended.body());
        assertEquals("CANCELLED", job(scan).get("state").asText());
    }

    @Test
    void aReportAfterTheLeaseRanOutIs409AndTheJobIsTriedAgain() throws Exception {
        AgentClient agent = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        String scan = agent.submit("SCAN", "test", null);
        JsonNode claim = agent.claimJob();
        String firstClaim = agent.claimId();
        Instant lease = Instant.parse(claim.get("leaseExpiresAt").asText());

        // the server's clock moves past the lease, as if the agent had gone quiet for that long
        Duration ahead = Duration.between(Instant.now(), lease).plusSeconds(30);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Clock> later = context.registerService(Clock.class,
                Clock.offset(Clock.systemUTC(), ahead), props);
        try {
            JsonNode interrupted = Await.until("the lease to run out", LIMIT, () -> {
                try {
                    JsonNode j = job(scan);
                    return j.get("state").asText().equals("RUNNING") ? null : j;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals("INTERRUPTED", interrupted.get("state").asText(), interrupted.toString());

            Http.Answer late = agent.reportFound("SUCCEEDED", "agent-hello:1.0:1.1");
            assertEquals(409, late.status(), late.body());
            assertTrue(late.contentType().startsWith("application/problem+json"), late.contentType());
            Http.Answer lateProgress = agent.progress(90, "almost");
            assertEquals(409, lateProgress.status(), lateProgress.body());

            JsonNode retry = agent.claimJob();
            assertNotEquals(scan, agent.jobId(), "the retry is a job of its own");
            assertNotEquals(firstClaim, agent.claimId());
            assertEquals(2, retry.get("job").get("attempt").asInt(), retry.toString());
            assertEquals(scan, retry.get("job").get("retryOf").asText(), retry.toString());
            Http.Answer done = agent.reportFound("SUCCEEDED", "agent-hello:1.0:1.1");
            assertEquals(200, done.status(), done.body());
            assertEquals("INTERRUPTED", job(scan).get("state").asText(), "the first attempt stays as it ended");
        } finally {
            later.unregister();
        }
    }

    @Test
    void anAgentReachesOnlyItsOwnDevicesJobs() throws Exception {
        AgentClient owner = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        AgentClient other = AgentClient.register(StoreIT.unique("agent").replace(' ', '-'));
        owner.submit("SCAN", "test", null);
        owner.claimJob();

        Http.Answer foreign = Http.post("/agent/devices/" + other.deviceId + "/jobs/" + owner.jobId() + "/report",
                "{\"claimId\":\"" + owner.claimId() + "\",\"state\":\"SUCCEEDED\"}");
        assertEquals(404, foreign.status(), foreign.body());
        assertEquals(204, other.claim(0).status());
        // a device the store does not know has no secret: nobody passes as its agent
        Http.Answer nobody = AgentClient.of("no-such-device").claim(0);
        assertEquals(403, nobody.status(), nobody.body());
        assertTrue(nobody.json().get("detail").asText().contains("no-such-device"), nobody.body());
        assertEquals(200, owner.reportFound("SUCCEEDED").status());
    }
}
