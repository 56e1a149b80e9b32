package io.patchbay.itest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Plays a device's agent over real HTTP, step by step as a test scripts it: claim the device's next job, send
 * progress, report what the job found or did. It keeps the claim it holds, as an agent would, so that a report
 * names it; nothing here runs a source.
 */
final class AgentClient {
    final String deviceId;
    private String jobId;
    private String claimId;
    private JsonNode claimed;

    private AgentClient(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Registers a device by hand (no server-side host reaches it) and plays its agent. */
    static AgentClient register(String hostname) throws Exception {
        Http.Answer created = Http.post("/devices", "{\"hostname\":\"" + hostname + "\",\"osFamily\":\"linux\","
                + "\"timeZone\":\"UTC\"}");
        if (created.status() != 201) {
            throw new AssertionError("POST /devices: " + created.status() + " " + created.body());
        }
        return new AgentClient(created.json().get("id").asText());
    }

    /** The agent of a device that exists already, or of one that does not. */
    static AgentClient of(String deviceId) {
        return new AgentClient(deviceId);
    }

    /** POST .../claim; on 200 the agent holds the claim it got. */
    Http.Answer claim(int waitSeconds) throws Exception {
        Http.Answer a = Http.post(base() + "/claim" + (waitSeconds > 0 ? "?waitSeconds=" + waitSeconds : ""), "");
        if (a.status() == 200) {
            claimed = a.json();
            jobId = claimed.get("job").get("id").asText();
            claimId = claimed.get("claimId").asText();
        }
        return a;
    }

    /** Claims and expects a job: the claim as the server gave it. */
    JsonNode claimJob() throws Exception {
        Http.Answer a = claim(10);
        if (a.status() != 200) {
            throw new AssertionError("expected a job to claim for " + deviceId + ": " + a.status() + " " + a.body());
        }
        return claimed;
    }

    String jobId() {
        return jobId;
    }

    String claimId() {
        return claimId;
    }

    Http.Answer progress(Integer percent, String message, String... log) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claimId", claimId);
        body.put("percent", percent);
        body.put("message", message);
        body.put("log", List.of(log));
        return Http.post(base() + "/" + jobId + "/progress", json(body));
    }

    /** A scan's outcome: the updates found missing, each as {@code name:installed:available}. */
    Http.Answer reportFound(String state, String... found) throws Exception {
        List<Map<String, Object>> updates = new ArrayList<>();
        for (String f : found) {
            String[] p = f.split(":");
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", p[0]);
            u.put("name", p[0]);
            u.put("title", p[0] + " " + p[2]);
            u.put("installedVersion", p[1]);
            u.put("version", p[2]);
            u.put("severity", "unspecified");
            updates.add(u);
        }
        Map<String, Object> body = report(state);
        body.put("found", updates);
        return Http.post(base() + "/" + jobId + "/report", json(body));
    }

    /** An install's outcome: one result per update, each as {@code id:STATUS:before:after}. */
    Http.Answer reportResults(String state, String... results) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String r : results) {
            String[] p = r.split(":");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("updateId", p[0]);
            result.put("status", p[1]);
            result.put("versionBefore", p[2]);
            result.put("versionAfter", p[3]);
            if (!"SUCCEEDED".equals(p[1])) {
                result.put("message", p[0] + " failed on the device");
            }
            list.add(result);
        }
        Map<String, Object> body = report(state);
        body.put("results", list);
        return Http.post(base() + "/" + jobId + "/report", json(body));
    }

    Http.Answer reportEnded(String state, String reason) throws Exception {
        Map<String, Object> body = report(state);
        body.put("reason", reason);
        return Http.post(base() + "/" + jobId + "/report", json(body));
    }

    private Map<String, Object> report(String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("claimId", claimId);
        body.put("state", state);
        body.put("log", List.of("agent: " + state.toLowerCase(java.util.Locale.ROOT)));
        body.put("sourceBundle", Fixtures.TEST_SOURCE_BSN);
        body.put("sourceBundleVersion", "1.0.0");
        return body;
    }

    private String base() {
        return "/agent/devices/" + deviceId + "/jobs";
    }

    private static String json(Object body) throws JsonProcessingException {
        return Http.JSON.writeValueAsString(body);
    }

    /** Submits a job for this agent's device through the API and returns its id. */
    String submit(String kind, String sourceId, String updatesJson) throws IOException, InterruptedException {
        Http.Answer a = Http.post("/jobs", "{\"kind\":\"" + kind + "\",\"deviceId\":\"" + deviceId
                + "\",\"sourceId\":\"" + sourceId + "\"" + (updatesJson == null ? "" : ",\"updates\":" + updatesJson)
                + "}");
        if (a.status() != 201) {
            throw new AssertionError("POST /jobs: " + a.status() + " " + a.body());
        }
        return a.json().get("id").asText();
    }
}
