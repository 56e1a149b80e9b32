package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** Every write is audited under who asks (the name of the token it authenticates with), never under a name in the body. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class AuditTruthIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeEach
    void testSource() throws Exception {
        StoreIT.ready();
        fixture = Fixtures.installTestSource(context);
    }

    @AfterEach
    void removeSource() throws Exception {
        fixture.uninstall();
    }

    private static Http.Answer delete(String path, String etag, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Http.api() + path)).DELETE()
                .header("Authorization", Http.bearerOf(user));
        if (etag != null) {
            b.header("If-Match", etag);
        }
        return Http.send(b);
    }

    /** A POST that takes no body (a drain, a cancel), as the API asks for one. */
    private static Http.Answer postEmpty(String path, String user) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + path)).header("Content-Type",
                "application/json").header("Authorization", Http.bearerOf(user)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode audit(String entity, String id) throws Exception {
        return Http.get("/audit?entity=" + entity + "&entityId=" + id).json().get("items");
    }

    @Test
    void blockRulesAreAuditedUnderWhoAsksAndRemovedOnlyWithIfMatch() throws Exception {
        Http.Answer added = StoreIT.post("/blocklist", "{\"updateId\":\"KB-audit-" + System.nanoTime()
                + "\",\"reason\":\"test\",\"createdBy\":\"mallory\"}", "alice@example.com");
        assertEquals(201, added.status(), added.body());
        String id = added.json().get("id").asText();
        assertEquals("alice@example.com", added.json().get("createdBy").asText(), "not the name in the body");
        assertEquals("\"1\"", Http.get("/blocklist/" + id).raw().headers().firstValue("ETag").orElseThrow());
        JsonNode created = audit("block-rule", id);
        assertEquals("alice@example.com", created.get(0).get("actor").asText());

        assertEquals(428, delete("/blocklist/" + id, null, "bob").status());
        assertEquals(412, delete("/blocklist/" + id, "\"7\"", "bob").status());
        assertEquals(200, Http.get("/blocklist/" + id).status(), "a refused delete changes nothing");
        assertEquals(204, delete("/blocklist/" + id, "\"1\"", "bob@example.com").status());
        JsonNode removed = audit("block-rule", id);
        assertEquals("delete", removed.get(0).get("action").asText());
        assertEquals("bob@example.com", removed.get(0).get("actor").asText());
    }

    @Test
    void jobsAndRunsAreRequestedByWhoAsks() throws Exception {
        Http.Answer job = StoreIT.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"requestedBy\":\"mallory\"}", "carol@example.com");
        assertEquals(201, job.status(), job.body());
        assertEquals("carol@example.com", job.json().get("requestedBy").asText());

        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Audited")), "ops").json()
                .get("id").asText();
        Http.Answer run = StoreIT.post("/runs", "{\"name\":\"audited\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"],\"requestedBy\":\"mallory\"}",
                "dave@example.com");
        assertEquals(201, run.status(), run.body());
        assertEquals("dave@example.com", run.json().get("requestedBy").asText());
        assertEquals("dave@example.com", audit("run", run.json().get("id").asText()).get(0).get("actor").asText());
    }

    @Test
    void aJobNamingARunThatDoesNotExistIsRefused() throws Exception {
        int before = Http.get("/jobs?limit=500").json().get("items").size();
        Http.Answer a = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"runId\":\"no-such-run\"}");
        assertEquals(400, a.status(), a.body());
        assertEquals("runId", a.json().get("field").asText());
        assertTrue(a.json().get("detail").asText().contains("no-such-run"), a.body());
        assertEquals(before, Http.get("/jobs?limit=500").json().get("items").size(), "no job was queued");
    }

    @Test
    void drainsResumesJobSubmissionsAndCancelsAreAuditedUnderWhoAsks() throws Exception {
        Http.Answer drained = postEmpty("/sources/test/drain?waitSeconds=0", "erin@example.com");
        assertEquals(200, drained.status(), drained.body());
        Http.Answer job = StoreIT.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}",
                "frank@example.com");
        assertEquals(201, job.status(), job.body());
        String jobId = job.json().get("id").asText();
        Http.Answer cancelled = postEmpty("/jobs/" + jobId + "/cancel", "grace@example.com");
        assertEquals(202, cancelled.status(), cancelled.body());
        Http.Answer resumed = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/sources/test/drain"))
                .DELETE().header("Authorization", Http.bearerOf("heidi@example.com")));
        assertEquals(200, resumed.status(), resumed.body());

        JsonNode source = audit("source", "test");
        assertEquals("resume", source.get(0).get("action").asText(), source.toString());
        assertEquals("heidi@example.com", source.get(0).get("actor").asText());
        assertEquals("drain", source.get(1).get("action").asText(), source.toString());
        assertEquals("erin@example.com", source.get(1).get("actor").asText());
        JsonNode jobEntries = audit("job", jobId);
        assertEquals("cancel", jobEntries.get(0).get("action").asText(), jobEntries.toString());
        assertEquals("grace@example.com", jobEntries.get(0).get("actor").asText());
        assertEquals("submit", jobEntries.get(1).get("action").asText(), jobEntries.toString());
        assertEquals("frank@example.com", jobEntries.get(1).get("actor").asText());
    }

    @Test
    void aJobCannotJoinARunThatHasEnded() throws Exception {
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Ended")), "ops").json()
                .get("id").asText();
        Http.Answer run = StoreIT.post("/runs", "{\"name\":\"ended\",\"policyId\":\"" + policy
                + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"]}", "ops");
        assertEquals(201, run.status(), run.body());
        String runId = run.json().get("id").asText();
        Await.until("the run to end", Duration.ofSeconds(60), () -> {
            try {
                return !"RUNNING".equals(Http.get("/runs/" + runId).json().get("state").asText());
            } catch (Exception e) {
                return false;
            }
        });
        String before = Http.get("/runs/" + runId).json().get("jobStates").toString();
        Http.Answer late = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"runId\":\"" + runId + "\"}");
        assertEquals(409, late.status(), late.body());
        assertTrue(late.json().get("detail").asText().contains("has ended"), late.body());
        assertEquals(before, Http.get("/runs/" + runId).json().get("jobStates").toString(), "the run is unchanged");
    }
}
