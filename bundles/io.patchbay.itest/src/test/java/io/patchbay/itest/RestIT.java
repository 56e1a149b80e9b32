package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** The REST API over real HTTP: answers, and the problem+json errors for everything a client can get wrong. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class RestIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
    }

    @BeforeEach
    void installSource() throws Exception {
        fixture = Fixtures.installTestSource(context);
    }

    @AfterEach
    void uninstallSource() throws Exception {
        fixture.uninstall();
    }

    private static void assertProblem(Http.Answer a, int status, String detailPart) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
        assertFalse(a.body().contains("at io.patchbay") || a.body().contains("Exception"),
                "no stack trace: " + a.body());
    }

    @Test
    void healthAnswersUpInJson() throws Exception {
        Http.Answer a = Http.get("/health");
        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertEquals("UP", a.json().get("status").asText());
        assertTrue(a.json().get("sources").asInt() >= 1);
    }

    @Test
    void sourcesListTheirBundleAndState() throws Exception {
        JsonNode list = Http.get("/sources").json();
        assertTrue(list.isArray());
        JsonNode test = null;
        for (JsonNode s : list) {
            if (s.get("id").asText().equals("test")) {
                test = s;
            }
        }
        assertTrue(test != null, list.toString());
        assertEquals("test", test.get("type").asText());
        assertEquals("io.patchbay.test.source", test.get("bundle").asText());
        assertEquals("1.0.0", test.get("bundleVersion").asText());
        assertEquals("ACTIVE", test.get("state").asText());
        assertTrue(test.get("platforms").isArray());
    }

    @Test
    void aScanSubmittedOverHttpRunsAndReportsWhatIsMissing() throws Exception {
        Http.Answer created = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}");
        assertEquals(201, created.status(), created.body());
        String location = created.raw().headers().firstValue("Location").orElseThrow();
        String id = created.json().get("id").asText();
        assertTrue(location.endsWith("/api/v1/jobs/" + id), location);

        JsonNode job = Http.get("/jobs/" + id + "?waitSeconds=20").json();
        assertEquals("SUCCEEDED", job.get("state").asText(), job.toString());
        assertEquals(2, job.get("found").size());
        assertEquals("hello", job.get("found").get(0).get("id").asText());
        assertTrue(job.get("createdAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), "ISO-8601 times");

        assertProblem(Http.post("/jobs/" + id + "/cancel", ""), 409, "already ended");
        JsonNode filtered = Http.get("/jobs?state=succeeded&sourceId=test&limit=500").json().get("items");
        boolean listed = false;
        for (JsonNode j : filtered) {
            assertEquals("SUCCEEDED", j.get("state").asText());
            assertEquals("test", j.get("sourceId").asText());
            listed |= j.get("id").asText().equals(id);
        }
        assertTrue(listed, "the job is in the filtered list");
    }

    @Test
    void theApiDescribesItselfInOpenApi3() throws Exception {
        Http.Answer a = Http.get("/openapi.json");
        assertEquals(200, a.status());
        JsonNode doc = a.json();
        assertTrue(doc.get("openapi").asText().startsWith("3."), doc.get("openapi").asText());
        assertEquals("/api/v1", doc.get("servers").get(0).get("url").asText());
        for (String path : new String[] { "/health", "/sources", "/devices/{id}", "/groups", "/policies/{id}",
                "/jobs", "/runs/{id}/jobs", "/updates", "/results", "/reports/compliance", "/blocklist", "/catalogs",
                "/audit" }) {
            assertTrue(doc.get("paths").has(path), "described: " + path);
        }
        assertTrue(doc.get("paths").get("/groups").has("post"));
        JsonNode policy = doc.get("components").get("schemas").get("PolicyDTO");
        assertTrue(policy.get("properties").has("schedule"), policy.toString());
    }

    @Test
    void unknownPathsAndIdsAre404() throws Exception {
        assertProblem(Http.get("/no-such-thing"), 404, "/api/v1/no-such-thing");
        Http.Answer outside = Http.send(HttpRequest.newBuilder(URI.create(Http.api().replace("/api/v1", "/console"))));
        assertProblem(outside, 404, "/console");
        assertProblem(Http.get("/sources/nope"), 404, "source 'nope' does not exist");
        assertProblem(Http.get("/jobs/nope"), 404, "job 'nope' does not exist");
        assertProblem(Http.get("/devices/nope"), 404, "device 'nope' does not exist");
    }

    @Test
    void badJobRequestsAre400AndNameTheField() throws Exception {
        int jobsBefore = Http.get("/jobs?limit=500").json().get("items").size();
        assertProblem(Http.post("/jobs", "{\"kind\":"), 400, "not valid JSON");
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\",\"colour\":1}"),
                400, "Unknown field 'colour'");
        assertProblem(Http.post("/jobs", "{\"kind\":\"REBOOT\",\"deviceId\":\"local\",\"sourceId\":\"test\"}"), 400,
                "REBOOT");
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":[1],\"sourceId\":\"test\"}"), 400,
                "deviceId");
        assertProblem(Http.post("/jobs", "{\"deviceId\":\"local\",\"sourceId\":\"test\"}"), 400, "kind");
        assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"mars\",\"sourceId\":\"test\"}"), 400,
                "mars");
        assertProblem(Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\"}"), 400,
                "updates");
        assertProblem(Http.get("/jobs?state=sleeping"), 400, "sleeping");
        assertProblem(Http.get("/jobs/x?waitSeconds=999"), 400, "waitSeconds");
        assertEquals(jobsBefore, Http.get("/jobs?limit=500").json().get("items").size(),
                "no refused request left a job behind");
    }

    @Test
    void wrongMethodsAndMediaTypesGetTheirOwnStatus() throws Exception {
        Http.Answer notAllowed = Http.delete("/health");
        assertProblem(notAllowed, 405, "not allowed");
        assertTrue(notAllowed.raw().headers().firstValue("Allow").orElse("").contains("GET"));
        Http.Answer text = Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/jobs"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("scan please")));
        assertProblem(text, 415, "application/json");
    }

    @Test
    void blockRulesCanBeAddedListedAndRemoved() throws Exception {
        Http.Answer added = Http.post("/blocklist", "{\"updateId\":\"KB5034441\",\"reason\":\"bricks BitLocker\"}");
        assertEquals(201, added.status(), added.body());
        String id = added.json().get("id").asText();
        assertEquals("KB5034441", Http.get("/blocklist/" + id).json().get("updateId").asText());
        assertProblem(Http.post("/blocklist", "{\"reason\":\"no criteria\"}"), 400, "at least one of");
        assertProblem(Http.post("/blocklist", "{\"namePattern\":\"openssl*\",\"versionRange\":\"[3.0,3.1)\"}"), 400,
                "versionScheme");
        Http.Answer ranged = Http.post("/blocklist", "{\"namePattern\":\"openssl*\",\"versionScheme\":\"deb\","
                + "\"versionRange\":\"[3.0.11-1~deb12u1,3.0.11-1~deb12u2]\"}");
        assertEquals(201, ranged.status(), ranged.body());
        assertEquals("\"1\"", ranged.raw().headers().firstValue("ETag").orElseThrow());
        assertProblem(Http.delete("/blocklist/" + id), 428, "If-Match");
        assertProblem(StoreIT.delete("/blocklist/" + id, "\"2\""), 412, "version 1");
        assertEquals(204, StoreIT.delete("/blocklist/" + ranged.json().get("id").asText(), "\"1\"").status());
        assertEquals(204, StoreIT.delete("/blocklist/" + id, "\"1\"").status());
        assertProblem(StoreIT.delete("/blocklist/" + id, "\"1\""), 404, "does not exist");
    }
}
