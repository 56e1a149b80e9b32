package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The server's own machine is a stored device like any other: grouped, tagged, reported, and paged. */
class LocalDeviceIT {

    @BeforeAll
    static void ready() throws Exception {
        StoreIT.ready();
    }

    private static JsonNode counts(JsonNode report, String groupId) {
        for (JsonNode g : report.get("groups")) {
            if (groupId.equals(g.path("groupId").asText())) {
                return g;
            }
        }
        return null;
    }

    @Test
    void theLocalDeviceJoinsAGroupIsManagedAndCountedButCannotBeDeleted() throws Exception {
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Server")), "ops").json()
                .get("id").asText();
        String group = StoreIT.post("/groups", "{\"name\":\"" + StoreIT.unique("Servers") + "\",\"policyIds\":[\""
                + policy + "\"]}", "ops").json().get("id").asText();
        Http.Answer before = Http.get("/devices/local");
        assertEquals(200, before.status(), before.body());
        String etag = before.raw().headers().firstValue("ETag").orElseThrow();
        ObjectNode edited = (ObjectNode) before.json();
        String hostname = edited.get("hostname").asText();
        edited.put("groupId", group);
        edited.putArray("tags").add("server-room");
        edited.put("osFamily", "windows");
        Http.Answer put = StoreIT.put("/devices/local", etag, edited.toString());
        try {
            assertEquals(200, put.status(), put.body());
            JsonNode local = Http.get("/devices/local").json();
            assertEquals(group, local.get("groupId").asText());
            assertEquals("server-room", local.get("tags").get(0).asText());
            assertFalse(local.get("unmanaged").asBoolean(), "its group has a policy");
            assertEquals("linux", local.get("osFamily").asText(), "what the machine is comes from the machine");
            assertEquals(hostname, local.get("hostname").asText());

            JsonNode counted = counts(Http.get("/reports/compliance").json(), group);
            assertTrue(counted != null, "the group of the local device is in the report");
            assertEquals(1, counted.get("devices").asInt());

            Http.Answer delete = StoreIT.delete("/devices/local", put.raw().headers().firstValue("ETag")
                    .orElseThrow());
            assertEquals(409, delete.status(), delete.body());
            assertTrue(delete.json().get("detail").asText().contains("server's own machine"), delete.body());
            assertEquals(200, Http.get("/devices/local").status());
        } finally {
            JsonNode now = Http.get("/devices/local").json();
            ((ObjectNode) now).putNull("groupId");
            ((ObjectNode) now).remove("tags");
            assertEquals(200, StoreIT.put("/devices/local", "\"" + now.get("version").asText() + "\"", now.toString())
                    .status());
        }
        assertTrue(Http.get("/devices/local").json().get("unmanaged").asBoolean(), "in no group it is unmanaged");
    }

    @Test
    void devicePagesHoldAtMostTheLimitAndListTheLocalDeviceOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            StoreIT.post("/devices", "{\"hostname\":\"pg-" + i + "\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}",
                    "ops");
        }
        Set<String> seen = new HashSet<>();
        int local = 0;
        String cursor = null;
        do {
            JsonNode page = Http.get("/devices?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertTrue(page.get("items").size() <= 2, "a page of at most 2: " + page.get("items").size());
            for (JsonNode d : page.get("items")) {
                assertTrue(seen.add(d.get("id").asText()), "no device twice");
                local += d.get("id").asText().equals("local") ? 1 : 0;
            }
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        assertEquals(1, local, "the local device is on one page");
        assertEquals(1, Http.get("/devices?limit=1").json().get("items").size());
    }
}
