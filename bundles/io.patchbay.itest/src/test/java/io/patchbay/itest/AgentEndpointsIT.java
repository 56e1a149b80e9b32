package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.AgentJobs;
import io.patchbay.api.ClaimLostException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;

/**
 * The HTTP side of the agent's operations, against a scripted {@code AgentJobs} that outranks the job engine's: what
 * each answer of the service becomes on the wire (200, 204, 404, 409, 400 naming the field), and that the API checks
 * the shape of a report before the service sees it. The engine's own behaviour is {@link AgentClientIT}'s.
 */
@ExtendWith(BundleContextExtension.class)
class AgentEndpointsIT {
    @InjectBundleContext
    BundleContext context;

    private final Scripted scripted = new Scripted();
    private ServiceRegistration<AgentJobs> registration;

    /** Answers as the test sets it up; records what reached it. */
    static final class Scripted implements AgentJobs {
        final AtomicReference<JobClaimDTO> due = new AtomicReference<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        volatile RuntimeException failure;

        @Override
        public Optional<JobClaimDTO> claim(String deviceId) {
            received.add("claim " + deviceId);
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(due.getAndSet(null));
        }

        @Override
        public Optional<JobClaimDTO> claim(String deviceId, java.util.Set<String> sourceIds) {
            return claim(deviceId);
        }

        @Override
        public void release(String deviceId, String jobId, io.patchbay.api.agent.JobReleaseDTO release) {
            received.add(release);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public JobClaimDTO progress(String deviceId, String jobId, JobProgressDTO progress) {
            received.add(progress);
            if (failure != null) {
                throw failure;
            }
            JobClaimDTO c = AgentEndpointsIT.claim(deviceId, jobId);
            c.stopRequested = true;
            c.stopReason = "cancelled by an operator";
            return c;
        }

        @Override
        public JobDTO report(String deviceId, String jobId, JobReportDTO report) {
            received.add(report);
            if (failure != null) {
                throw failure;
            }
            JobDTO job = job(deviceId, jobId);
            job.state = report.state;
            return job;
        }
    }

    static JobDTO job(String deviceId, String jobId) {
        JobDTO job = new JobDTO();
        job.id = jobId;
        job.deviceId = deviceId;
        job.kind = JobKind.SCAN;
        job.sourceId = "test";
        job.state = JobState.RUNNING;
        job.attempt = 1;
        return job;
    }

    static JobClaimDTO claim(String deviceId, String jobId) {
        JobClaimDTO c = new JobClaimDTO();
        c.job = job(deviceId, jobId);
        c.claimId = "claim-" + jobId;
        c.leaseExpiresAt = Instant.parse("2030-01-01T00:00:00Z");
        return c;
    }

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
    }

    @BeforeEach
    void register() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        registration = context.registerService(AgentJobs.class, scripted, props);
        // the resource takes the higher-ranked service; until then (or until it is served) a claim is not ours
        Await.until("the scripted agent jobs behind the API", Duration.ofSeconds(30), () -> {
            try {
                scripted.received.clear();
                Http.Answer a = Http.post("/agent/devices/probe/jobs/claim", "");
                return a.status() == 204 && scripted.received.contains("claim probe");
            } catch (Exception e) {
                return false;
            }
        });
        scripted.received.clear();
    }

    @BeforeAll
    static void standInDevices() {
        // the stand-in job service's devices are not in the store, so they have no secrets
        Http.acceptTestDevices();
    }

    @AfterAll
    static void forgetDeviceSecrets() {
        Http.forgetDevices();
    }

    @AfterEach
    void unregister() {
        registration.unregister();
    }

    @Test
    void aClaimIs200WithTheClaimOr204WhenNothingIsDue() throws Exception {
        Http.Answer none = Http.post("/agent/devices/dev-1/jobs/claim", "");
        assertEquals(204, none.status(), none.body());
        assertEquals("", none.body());

        scripted.due.set(claim("dev-1", "job-1"));
        Http.Answer claimed = Http.post("/agent/devices/dev-1/jobs/claim", "");
        assertEquals(200, claimed.status(), claimed.body());
        JsonNode c = claimed.json();
        assertEquals("claim-job-1", c.get("claimId").asText());
        assertEquals("job-1", c.get("job").get("id").asText());
        assertEquals("2030-01-01T00:00:00Z", c.get("leaseExpiresAt").asText());
        assertFalse(c.get("stopRequested").asBoolean());
    }

    @Test
    void aWaitingClaimAnswersWhenAJobBecomesDue() throws Exception {
        CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.post("/agent/devices/dev-1/jobs/claim?waitSeconds=30", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the claim to ask more than once", Duration.ofSeconds(20),
                () -> scripted.received.stream().filter("claim dev-1"::equals).count() >= 2);
        assertFalse(waiting.isDone(), "the claim waits while nothing is due");
        scripted.due.set(claim("dev-1", "job-2"));
        Http.Answer claimed = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, claimed.status(), claimed.body());
        assertEquals("job-2", claimed.json().get("job").get("id").asText());
    }

    @Test
    void waitSecondsOutOfRangeIs400NamingIt() throws Exception {
        for (String bad : List.of("61", "-1", "x", "1.5")) {
            Http.Answer a = Http.post("/agent/devices/dev-1/jobs/claim?waitSeconds=" + bad, "");
            assertProblem(a, 400, "waitSeconds");
            assertTrue(a.json().get("detail").asText().contains(bad), a.body());
        }
        assertTrue(scripted.received.isEmpty(), "nothing reached the service: " + scripted.received);
    }

    @Test
    void theServicesRefusalsBecome404And409And400() throws Exception {
        scripted.failure = new NotFoundException("device", "nobody");
        Http.Answer missing = Http.post("/agent/devices/nobody/jobs/claim", "");
        assertEquals(404, missing.status(), missing.body());
        assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
        assertTrue(missing.json().get("detail").asText().contains("nobody"), missing.body());

        scripted.failure = new ClaimLostException("job job-3 is no longer claimed by claim-job-3: its lease ran out");
        Http.Answer lost = Http.post("/agent/devices/dev-1/jobs/job-3/report",
                "{\"claimId\":\"claim-job-3\",\"state\":\"SUCCEEDED\"}");
        assertProblem(lost, 409, "claimId");
        assertTrue(lost.json().get("detail").asText().contains("lease ran out"), lost.body());
        Http.Answer lostProgress = Http.post("/agent/devices/dev-1/jobs/job-3/progress",
                "{\"claimId\":\"claim-job-3\",\"percent\":50}");
        assertProblem(lostProgress, 409, "claimId");

        scripted.failure = new InvalidInputException("results[0].updateId", "nope", "was not requested");
        Http.Answer refused = Http.post("/agent/devices/dev-1/jobs/job-3/report", "{\"claimId\":\"claim-job-3\","
                + "\"state\":\"SUCCEEDED\",\"results\":[{\"updateId\":\"nope\",\"status\":\"SUCCEEDED\"}]}");
        assertProblem(refused, 400, "results[0].updateId");
    }

    @Test
    void progressAndReportReachTheServiceAsSent() throws Exception {
        Http.Answer progressed = Http.post("/agent/devices/dev-1/jobs/job-4/progress",
                "{\"claimId\":\"claim-job-4\",\"percent\":40,\"message\":\"half\",\"log\":[\"one\",\"two\"]}");
        assertEquals(200, progressed.status(), progressed.body());
        assertTrue(progressed.json().get("stopRequested").asBoolean(), progressed.body());
        assertEquals("cancelled by an operator", progressed.json().get("stopReason").asText());
        JobProgressDTO p = (JobProgressDTO) scripted.received.poll();
        assertEquals("claim-job-4", p.claimId);
        assertEquals(40, p.percent);
        assertEquals(List.of("one", "two"), p.log);

        Http.Answer reported = Http.post("/agent/devices/dev-1/jobs/job-4/report", "{\"claimId\":\"claim-job-4\","
                + "\"state\":\"FAILED\",\"reason\":\"disk full\",\"results\":[{\"updateId\":\"hello\","
                + "\"status\":\"FAILED\",\"message\":\"disk full\"}],\"sourceBundle\":\"io.patchbay.test.source\"}");
        assertEquals(200, reported.status(), reported.body());
        assertEquals("FAILED", reported.json().get("state").asText());
        JobReportDTO r = (JobReportDTO) scripted.received.poll();
        assertEquals("disk full", r.reason);
        assertEquals("hello", r.results.get(0).updateId);
    }

    @Test
    void malformedReportsAre400NamingTheFieldAndNeverReachTheService() throws Exception {
        Map<String, String> bodies = Map.of(
                "{\"state\":\"SUCCEEDED\"}", "claimId",
                "{\"claimId\":\"c\"}", "state",
                "{\"claimId\":\"c\",\"state\":\"RUNNING\"}", "state",
                "{\"claimId\":\"c\",\"state\":\"DONE\"}", "state",
                "{\"claimId\":\"c\",\"state\":\"FAILED\",\"results\":[{\"updateId\":\"a\"}]}", "results[0].status",
                "{\"claimId\":\"c\",\"state\":\"SUCCEEDED\",\"found\":[{\"id\":\"" + "u".repeat(300) + "\"}]}",
                "found[0].id",
                "{\"claimId\":\"c\",\"state\":\"SUCCEEDED\",\"unknown\":1}", "unknown");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            Http.Answer a = Http.post("/agent/devices/dev-1/jobs/job-5/report", b.getKey());
            assertEquals(400, a.status(), b.getKey() + " -> " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
            assertTrue(a.json().get("detail").asText().contains(b.getValue()), b.getKey() + " -> " + a.body());
        }
        Http.Answer percent = Http.post("/agent/devices/dev-1/jobs/job-5/progress",
                "{\"claimId\":\"c\",\"percent\":250}");
        assertProblem(percent, 400, "percent");
        assertTrue(percent.json().get("detail").asText().contains("250"), percent.body());
        Http.Answer longId = Http.post("/agent/devices/" + "d".repeat(65) + "/jobs/claim", "");
        assertProblem(longId, 400, "deviceId");
        Http.Answer empty = Http.post("/agent/devices/dev-1/jobs/job-5/report", "");
        assertEquals(400, empty.status(), empty.body());
        assertTrue(scripted.received.isEmpty(), "nothing reached the service: " + scripted.received);
    }

    @Test
    void theOperationsAreInTheOpenApiDescription() throws Exception {
        JsonNode paths = Http.get("/openapi.json").json().get("paths");
        assertTrue(paths.has("/agent/devices/{deviceId}/jobs/claim"), paths.toString());
        assertTrue(paths.get("/agent/devices/{deviceId}/jobs/claim").get("post").get("responses").has("204"));
        assertTrue(paths.has("/agent/devices/{deviceId}/jobs/{jobId}/progress"), paths.toString());
        assertTrue(paths.has("/agent/devices/{deviceId}/jobs/{jobId}/report"), paths.toString());
    }

    private static void assertProblem(Http.Answer a, int status, String field) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        assertEquals(field, a.json().path("field").asText(), a.body());
    }
}
