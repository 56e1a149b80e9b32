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

/** Every write is audited under who asks (the X-Patchbay-User header for now), never under a name in the body. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class AuditTruthIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeEach
    void testSource() throws Exception {
        StoreIT.ready();
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("the test source", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterEach
    void removeSource() throws Exception {
        fixture.uninstall();
    }

    private static Http.Answer delete(String path, String etag, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Http.api() + path)).DELETE()
                .header("X-Patchbay-User", user);
        if (etag != null) {
            b.header("If-Match", etag);
        }
        return Http.send(b);
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
}
