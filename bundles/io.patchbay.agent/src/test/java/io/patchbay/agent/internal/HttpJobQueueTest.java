package io.patchbay.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.queue.JobEndDTO;
import io.patchbay.api.queue.JobStopDTO;

class HttpJobQueueTest {
    static final Instant BOOT = Instant.parse("2026-12-01T08:00:00Z");
    @TempDir
    Path dir;
    FakeServer server;
    ObjectMapper json = ServerClient.mapper();
    StateFolder state;
    HttpJobQueue queue;

    @BeforeEach
    void setUp() throws Exception {
        server = new FakeServer();
        ServerClient client = new ServerClient(server.uri(), null, json);
        client.device("dev-1", "s3cret");
        state = new StateFolder(dir.resolve("state"), json);
        queue = new HttpJobQueue(client, state, () -> BOOT, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    @AfterEach
    void tearDown() {
        queue.close();
        server.close();
    }

    static JobClaimDTO claim(String jobId, String source) {
        JobClaimDTO c = new JobClaimDTO();
        c.claimId = "claim-" + jobId;
        c.job = new JobDTO();
        c.job.id = jobId;
        c.job.kind = JobKind.SCAN;
        c.job.deviceId = "dev-1";
        c.job.sourceId = source;
        c.job.state = JobState.RUNNING;
        return c;
    }

    String jobJson(String id, String state) {
        return "{\"id\":\"" + id + "\",\"deviceId\":\"dev-1\",\"state\":\"" + state + "\",\"kind\":\"SCAN\"}";
    }

    @Test
    void aJobOfferedIsDueForItsSourceOnlyAndIsRecordedBeforeItStarts() throws Exception {
        assertTrue(queue.wantsClaim());
        queue.offer(claim("j1", "apt"));
        assertFalse(queue.wantsClaim());
        assertTrue(queue.busy());
        assertEquals(List.of(), queue.due(Set.of("dnf"), Instant.now(), 10));
        assertEquals("j1", queue.due(Set.of("apt", "dnf"), Instant.now(), 10).get(0).id);
        assertTrue(queue.claim("other", "node", Instant.now(), Instant.now()).isEmpty());

        JobClaimDTO c = queue.claim("j1", "node", Instant.now(), Instant.now()).orElseThrow();
        assertEquals("claim-j1", c.claimId);
        StateFolder.JobInProgress recorded = state.job().orElseThrow();
        assertEquals("j1", recorded.jobId);
        assertEquals("claim-j1", recorded.claimId);
        assertEquals(BOOT, recorded.bootTime);
        assertEquals("j1", queue.runningJobId());
        assertEquals(List.of(), queue.due(Set.of("apt"), Instant.now(), 10));
    }

    @Test
    void progressCarriesTheBufferedLogLinesAndTheClaim() throws Exception {
        server.on("POST", "/api/v1/agent/devices/dev-1/jobs/j1/progress",
                r -> FakeServer.Answer.json(200, "{\"claimId\":\"claim-j1\",\"stopRequested\":false}"));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        queue.log("j1", Instant.now(), "line one");
        queue.log("j1", Instant.now(), "line two");
        queue.progress("j1", "claim-j1", 40, "halfway", null, Instant.now(), Instant.now());

        List<FakeServer.Request> sent = server.requests("POST", ".*/progress");
        assertFalse(sent.isEmpty());
        FakeServer.Request last = sent.get(sent.size() - 1);
        assertEquals("Bearer s3cret", last.authorization());
        JsonNode body = json.readTree(sent.stream().filter(r -> r.body().contains("\"percent\"")).findFirst()
                .orElseThrow().body());
        assertEquals("claim-j1", body.get("claimId").asText());
        assertEquals(40, body.get("percent").asInt());
        String all = String.join("\n", sent.stream().map(FakeServer.Request::body).toList());
        assertTrue(all.contains("line one") && all.contains("line two"), all);
    }

    @Test
    void aLostClaimOnProgressIsAClaimLostException() {
        server.on("POST", ".*/progress", r -> FakeServer.Answer.problem(409, "the claim is no longer held"));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        assertThrows(ClaimLostException.class,
                () -> queue.progress("j1", "claim-j1", 10, null, null, Instant.now(), Instant.now()));
    }

    @Test
    void renewalAsksTheServerAndHandsBackItsStopRequests() {
        server.on("POST", ".*/progress", r -> FakeServer.Answer.json(200,
                "{\"claimId\":\"claim-j1\",\"stopRequested\":true,\"stopReason\":\"cancelled by an operator\"}"));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        List<JobStopDTO> stops = queue.renew("node", Set.of("j1"), Instant.now());
        assertEquals(1, stops.size());
        assertEquals(JobState.CANCELLED, stops.get(0).state);
        assertEquals("cancelled by an operator", stops.get(0).reason);
    }

    @Test
    void theEndIsReportedUntilAcknowledgedAndTheSameReportIsSentEachTime() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.on("POST", "/api/v1/agent/devices/dev-1/jobs/j1/report", r -> calls.incrementAndGet() < 3
                ? FakeServer.Answer.problem(503, "the store is away") : FakeServer.Answer.json(200, jobJson("j1",
                        "SUCCEEDED")));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        queue.log("j1", Instant.now(), "scanned");
        JobEndDTO end = new JobEndDTO();
        end.jobId = "j1";
        end.claimId = "claim-j1";
        end.state = JobState.SUCCEEDED;
        end.found = List.of();
        end.sourceBundle = "io.patchbay.source.apt";
        end.sourceBundleVersion = "0.1.0";
        JobDTO recorded = queue.end(end);
        assertEquals(JobState.SUCCEEDED, recorded.state);
        List<FakeServer.Request> reports = server.requests("POST", ".*/report");
        assertEquals(3, reports.size());
        assertEquals(1, reports.stream().map(FakeServer.Request::body).distinct().count(), "the same report each time");
        JsonNode body = json.readTree(reports.get(0).body());
        assertEquals("claim-j1", body.get("claimId").asText());
        assertEquals("SUCCEEDED", body.get("state").asText());
        assertEquals("io.patchbay.source.apt", body.get("sourceBundle").asText());
        assertTrue(state.job().isEmpty(), "the job leaves the state folder once acknowledged");
        assertNull(queue.runningJobId());
        assertTrue(queue.wantsClaim());
    }

    @Test
    void aReportRefusedAsAConflictEndsTheClaimHere() throws Exception {
        server.on("POST", ".*/report", r -> FakeServer.Answer.problem(409, "another claim"));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        JobEndDTO end = new JobEndDTO();
        end.jobId = "j1";
        end.claimId = "claim-j1";
        end.state = JobState.FAILED;
        assertThrows(ClaimLostException.class, () -> queue.end(end));
        assertTrue(state.job().isEmpty());
    }

    @Test
    void whileStoppingAReportThatCannotBeSentStaysForTheNextStart() throws Exception {
        server.on("POST", ".*/report", r -> FakeServer.Answer.problem(503, "down"));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        queue.closing();
        JobEndDTO end = new JobEndDTO();
        end.jobId = "j1";
        end.claimId = "claim-j1";
        end.state = JobState.INTERRUPTED;
        end.reason = HttpJobQueue.CORE_STOPPED;
        assertThrows(IllegalStateException.class, () -> queue.end(end));
        assertEquals("j1", state.job().orElseThrow().jobId);
        assertEquals(HttpJobQueue.AGENT_STOPPED, json.readTree(server.requests("POST", ".*/report").get(0).body())
                .get("reason").asText(), "on a device it is the agent that stopped");
    }

    @Test
    void aReleaseGivesTheJobBackWithItsStateAndReason() throws Exception {
        server.on("POST", ".*/release", r -> FakeServer.Answer.empty(204));
        queue.offer(claim("j1", "apt"));
        queue.claim("j1", "node", Instant.now(), Instant.now());
        queue.release("j1", "claim-j1", JobState.WAITING, "source 'apt' is not available", Instant.now());
        JsonNode body = json.readTree(server.requests("POST", ".*/jobs/j1/release").get(0).body());
        assertEquals("claim-j1", body.get("claimId").asText());
        assertEquals("WAITING", body.get("state").asText());
        assertTrue(state.job().isEmpty());
        assertTrue(queue.wantsClaim());
    }

    @Test
    void theQueueNeitherQueuesNorReapsOnADevice() {
        assertThrows(IllegalStateException.class, () -> queue.enqueue(new JobDTO(), 10));
        assertEquals(List.of(), queue.reap(Set.of(), Instant.now(), Instant.now(), 3));
        assertTrue(queue.cancel("x", "r", Instant.now()).isEmpty());
        assertTrue(server.requests.isEmpty(), "nothing reached the server");
    }

    @Test
    void aJobOfferedButNeverStartedIsTakenBackAfterTheLimit() throws Exception {
        queue.offer(claim("j1", "winget"));
        assertTrue(queue.takeStale(Duration.ofMinutes(1)).isEmpty());
        Thread.sleep(20);
        assertEquals("j1", queue.takeStale(Duration.ofMillis(10)).orElseThrow().job.id);
        assertTrue(queue.wantsClaim());
    }

    @Test
    void aJobCutByARestartIsReportedInterruptedAtStartWithTheReason() throws Exception {
        server.on("POST", ".*/jobs/j7/report", r -> FakeServer.Answer.json(200, jobJson("j7", "INTERRUPTED")));
        StateFolder.JobInProgress j = new StateFolder.JobInProgress();
        j.jobId = "j7";
        j.claimId = "claim-j7";
        j.bootTime = BOOT;
        state.jobStarted(j);

        assertEquals(Agent.RESTARTED, Agent.recover(state, queue, BOOT).orElseThrow());
        JsonNode body = json.readTree(server.requests("POST", ".*/jobs/j7/report").get(0).body());
        assertEquals("INTERRUPTED", body.get("state").asText());
        assertEquals("claim-j7", body.get("claimId").asText());
        assertEquals(Agent.RESTARTED, body.get("reason").asText());
        assertTrue(state.job().isEmpty());
        assertTrue(Agent.recover(state, queue, BOOT).isEmpty(), "reported once");
    }

    @Test
    void aJobCutByARebootSaysSo() throws Exception {
        server.on("POST", ".*/jobs/j8/report", r -> FakeServer.Answer.problem(409, "already ended by the reaper"));
        StateFolder.JobInProgress j = new StateFolder.JobInProgress();
        j.jobId = "j8";
        j.claimId = "claim-j8";
        j.bootTime = BOOT;
        state.jobStarted(j);
        assertEquals(Agent.REBOOTED, Agent.recover(state, queue, BOOT.plusSeconds(3600)).orElseThrow());
        assertEquals(Agent.REBOOTED, json.readTree(server.requests("POST", ".*/jobs/j8/report").get(0).body())
                .get("reason").asText());
        assertTrue(state.job().isEmpty(), "a claim the server no longer holds is not reported again");
        assertTrue(Files.exists(dir.resolve("state")));
    }
}
