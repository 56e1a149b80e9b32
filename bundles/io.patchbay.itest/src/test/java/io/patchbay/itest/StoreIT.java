package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.BlockList;
import io.patchbay.api.dto.BlockRuleDTO;

/** The console API over real HTTP on the store: validation, optimistic locking, pages, audit, restarts. */
@ExtendWith(ServiceExtension.class)
class StoreIT {

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
        Await.until("the store's API", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/groups").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    static String policyJson(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"patch-all\",\"schedule\":{\"frequency\":\"monthly\","
                + "\"weekOfMonth\":2,\"dayOfWeek\":\"TUESDAY\",\"offsetDays\":1,\"time\":\"02:00\","
                + "\"windowMinutes\":180},\"patchMissedAtNextCheckIn\":true,\"autoReboot\":true}";
    }

    static Http.Answer put(String path, String etag, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Http.api() + path))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
        if (etag != null) {
            b.header("If-Match", etag);
        }
        return Http.send(b);
    }

    static Http.Answer delete(String path, String etag) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Http.api() + path)).DELETE();
        if (etag != null) {
            b.header("If-Match", etag);
        }
        return Http.send(b);
    }

    static Http.Answer post(String path, String json, String user) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + path)).header("Content-Type",
                "application/json").header("Authorization", Http.bearerOf(user)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void assertProblem(Http.Answer a, int status, String field, String detailPart) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        if (field != null) {
            assertEquals(field, p.path("field").asText(), a.body());
        }
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
    }

    static int count(String path) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = Http.get(path + "?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            n += page.get("items").size();
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        return n;
    }

    @Test
    void aGroupWithAPolicyAndADeviceAreCreatedReadAndAudited() throws Exception {
        Http.Answer policy = post("/policies", policyJson(unique("Workstations")), "alice@example.com");
        assertEquals(201, policy.status(), policy.body());
        assertEquals("\"1\"", policy.raw().headers().firstValue("ETag").orElseThrow());
        String policyId = policy.json().get("id").asText();
        Http.Answer group = post("/groups", "{\"name\":\"" + unique("Berlin office") + "\",\"policyIds\":[\""
                + policyId + "\"],\"windowsUpdate\":{\"source\":\"wsus\","
                + "\"wsusUrl\":\"https://wsus.example.com:8531\"}}",
                "alice@example.com");
        assertEquals(201, group.status(), group.body());
        String groupId = group.json().get("id").asText();
        Http.Answer device = post("/devices", "{\"hostname\":\"ws-042\",\"osFamily\":\"windows\",\"osName\":"
                + "\"Windows 11 Pro\",\"timeZone\":\"Europe/Berlin\",\"groupId\":\"" + groupId
                + "\",\"tags\":[\"finance\"],\"excludedFromReports\":true}", "bob@example.com");
        assertEquals(201, device.status(), device.body());
        JsonNode d = Http.get("/devices/" + device.json().get("id").asText()).json();
        assertEquals("Europe/Berlin", d.get("timeZone").asText());
        assertFalse(d.get("unmanaged").asBoolean(), "its group has a policy");
        assertTrue(d.get("excludedFromReports").asBoolean());

        Http.Answer lonely = post("/devices", "{\"hostname\":\"kiosk-7\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}",
                "bob@example.com");
        assertTrue(lonely.json().get("unmanaged").asBoolean(), "a device in no group is unmanaged");

        JsonNode audit = Http.get("/audit?entity=group&entityId=" + groupId).json();
        assertEquals(1, audit.get("items").size());
        assertEquals("alice@example.com", audit.get("items").get(0).get("actor").asText());
        assertEquals("create", audit.get("items").get(0).get("action").asText());

        assertEquals(200, Http.get("/devices/local").status(), "the server's own machine is a device too");
    }

    @Test
    void badInputIsRefusedWithTheFieldAndChangesNothing() throws Exception {
        int groups = count("/groups");
        int policies = count("/policies");
        int devices = count("/devices");
        assertProblem(post("/groups", "{\"name\":", "x"), 400, null, "not valid JSON");
        assertProblem(post("/groups", "{\"name\":\"x\",\"colour\":\"red\"}", "x"), 400, "colour", "Unknown field");
        assertProblem(post("/groups", "{\"name\":\"x\",\"scanIntervalMinutes\":\"often\"}", "x"), 400,
                "scanIntervalMinutes", "scanIntervalMinutes");
        assertProblem(post("/groups", "{\"name\":\"x\",\"scanIntervalMinutes\":1}", "x"), 400, "scanIntervalMinutes",
                "from 15");
        assertProblem(post("/groups", "{\"name\":\"x\",\"windowsUpdate\":{\"source\":\"wsus\"}}", "x"), 400,
                "windowsUpdate.wsusUrl", "required");
        assertProblem(post("/groups", "{\"name\":\"x\",\"policyIds\":[\"no-such-policy\"]}", "x"), 400,
                "policyIds[0]", "no such policy");
        assertProblem(post("/groups", "{\"description\":\"no name\"}", "x"), 400, "name", "required");
        assertProblem(post("/policies", policyJson("p").replace("\"02:00\"", "\"25:61\""), "x"), 400,
                "schedule.time", "25:61");
        assertProblem(post("/policies", policyJson("p").replace("\"TUESDAY\"", "\"TUESDAZ\""), "x"), 400,
                "schedule.dayOfWeek", "TUESDAZ");
        assertProblem(post("/policies", "{\"name\":\"p\",\"type\":\"patch-all\",\"schedule\":{\"frequency\":"
                + "\"weekly\",\"time\":\"02:00\"}}", "x"), 400, "schedule.daysOfWeek", "needs days");
        assertProblem(post("/policies", policyJson("p").replace("patch-all", "patch-only"), "x"), 400, "inclusions",
                "needs inclusions");
        assertProblem(post("/policies", policyJson("p").replace("\"type\":\"patch-all\"",
                "\"type\":\"patch-all\",\"severities\":[\"critical\"]"), "x"), 400, "type", "advanced");
        assertProblem(post("/devices", "{\"hostname\":\"ws 1\",\"osFamily\":\"windows\",\"timeZone\":\"UTC\"}", "x"),
                400, "hostname", "ws 1");
        assertProblem(post("/devices", "{\"hostname\":\"ws1\",\"osFamily\":\"windows\",\"timeZone\":\"Mars/Olympus\"}",
                "x"), 400, "timeZone", "Mars/Olympus");
        assertProblem(post("/devices", "{\"hostname\":\"ws1\",\"osFamily\":\"beos\",\"timeZone\":\"UTC\"}", "x"), 400,
                "osFamily", "beos");
        assertProblem(post("/devices", "{\"hostname\":\"ws1\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\","
                + "\"groupId\":\"nope\"}", "x"), 400, "groupId", "no such group");
        assertProblem(post("/groups", "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}", "x"), 413, null,
                "at most");
        assertProblem(Http.get("/groups?limit=0"), 400, "limit", "from 1");
        assertProblem(Http.get("/groups?cursor=not~a~cursor"), 400, "cursor", "not a cursor");
        assertProblem(Http.get("/groups/nope"), 404, null, "group 'nope' does not exist");
        assertEquals(groups, count("/groups"));
        assertEquals(policies, count("/policies"));
        assertEquals(devices, count("/devices"));
    }

    @Test
    void concurrentEditsAreDetectedNotLost() throws Exception {
        Http.Answer created = post("/groups", "{\"name\":\"" + unique("Paris") + "\"}", "alice");
        String id = created.json().get("id").asText();
        String v1 = created.raw().headers().firstValue("ETag").orElseThrow();
        Http.Answer alice = put("/groups/" + id, v1, "{\"name\":\"" + unique("Paris (Alice)") + "\"}");
        assertEquals(200, alice.status(), alice.body());
        assertEquals("\"2\"", alice.raw().headers().firstValue("ETag").orElseThrow());
        Http.Answer bob = put("/groups/" + id, v1, "{\"name\":\"" + unique("Paris (Bob)") + "\"}");
        assertProblem(bob, 412, null, "changed by someone else");
        assertTrue(Http.get("/groups/" + id).json().get("name").asText().startsWith("Paris (Alice)"),
                "Alice's edit stands");
        assertProblem(put("/groups/" + id, null, "{\"name\":\"x\"}"), 428, null, "If-Match");
        assertProblem(delete("/groups/" + id, v1), 412, null, "version 2");
        assertEquals(204, delete("/groups/" + id, "\"2\"").status());
        assertProblem(Http.get("/groups/" + id), 404, null, "does not exist");
    }

    @Test
    void objectsInUseCannotBeDeleted() throws Exception {
        String policyId = post("/policies", policyJson(unique("In use")), "a").json().get("id").asText();
        JsonNode group = post("/groups", "{\"name\":\"" + unique("Users") + "\",\"policyIds\":[\"" + policyId + "\"]}",
                "a").json();
        post("/devices", "{\"hostname\":\"pc-1\",\"osFamily\":\"windows\",\"timeZone\":\"UTC\",\"groupId\":\""
                + group.get("id").asText() + "\"}", "a");
        assertProblem(delete("/policies/" + policyId, "\"1\""), 409, null, "assigned to group");
        assertProblem(delete("/groups/" + group.get("id").asText(), "\"1\""), 409, null, "still has 1 device");
    }

    @Test
    void listsComeAPageAtATime() throws Exception {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(post("/policies", policyJson(unique("Paged")), "a").json().get("id").asText());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = Http.get("/policies?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertTrue(page.get("items").size() <= 2);
            page.get("items").forEach(p -> assertTrue(seen.add(p.get("id").asText()), "no item twice"));
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (cursor != null);
        assertTrue(seen.containsAll(made), "every item on some page");
        assertTrue(pages >= 3, "pages: " + pages);
    }

    @Test
    void dataSurvivesARestartOfTheStore(@InjectService BlockList blockList) throws Exception {
        String name = unique("Survivor");
        String id = post("/groups", "{\"name\":\"" + name + "\"}", "a").json().get("id").asText();
        BlockRuleDTO rule = new BlockRuleDTO();
        rule.updateId = "KB" + System.nanoTime();
        rule.reason = "kept across restarts";
        String ruleId = blockList.add(rule).id;

        BundleContext context = FrameworkUtil.getBundle(StoreIT.class).getBundleContext();
        Bundle store = null;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("io.patchbay.store")) {
                store = b;
            }
        }
        assertNotNull(store);
        store.stop();
        Await.until("the store's API to go with the store", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/groups/" + id).status() == 503 && Http.get("/health").status() == 503;
            } catch (Exception e) {
                return false;
            }
        });
        store.start();
        Await.until("the store's API back", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/groups/" + id).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(name, Http.get("/groups/" + id).json().get("name").asText());
        JsonNode rules = Http.get("/blocklist?limit=500").json().get("items");
        boolean kept = false;
        for (JsonNode r : rules) {
            kept |= r.get("id").asText().equals(ruleId) && r.get("reason").asText().equals("kept across restarts");
        }
        assertTrue(kept, rules.toString());
        delete("/blocklist/" + ruleId, "\"1\"");
    }
}
