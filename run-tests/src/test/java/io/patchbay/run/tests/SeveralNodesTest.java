package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two servers from the runnable jar, on two ports, with one PostgreSQL database: each serves the whole API, a job
 * submitted on either runs exactly once on one of them, a drained source is not claimed on its node, and the jobs
 * of a node that is killed are taken over by the other once their lease has run out.
 */
class SeveralNodesTest {
    /** Short, so that a killed node's jobs are taken over within the test. */
    static final int LEASE_SECONDS = 5;
    static final Duration LIMIT = Duration.ofSeconds(120);
    /** Each node's test source offers another version of {@code hello}: a job's outcome says which node ran it. */
    static final String ON_A = "1.1";
    static final String ON_B = "1.2";

    private static Server node(SharedPostgres db, String id, long stepMillis, String helloVersion) throws Exception {
        List<String> props = new ArrayList<>(db.nodeProperties(id));
        Server server = new Server("node-" + id, props.toArray(String[]::new));
        server.withTestSource("test", stepMillis, "hello:1.0:" + helloVersion);
        server.configure("io.patchbay.core", "leaseSeconds=" + LEASE_SECONDS);
        return server;
    }

    private static String submit(Server on, String kind) throws Exception {
        return on.post("/jobs", "{\"kind\":\"" + kind + "\",\"deviceId\":\"local\",\"sourceId\":\"test\""
                + (kind.equals("INSTALL") ? ",\"updates\":[{\"id\":\"hello\"}]" : "") + "}").get("id").asText();
    }

    private static JsonNode ended(Server on, String job) throws Exception {
        return on.await("/jobs/" + job + "?waitSeconds=10", j -> isFinal(j.get("state").asText()), LIMIT);
    }

    private static boolean isFinal(String state) {
        return !List.of("QUEUED", "WAITING", "RUNNING").contains(state);
    }

    /** Which node ran a finished job: the version its source offers. */
    private static String ranOn(JsonNode job) {
        JsonNode versions = job.get("kind").asText().equals("SCAN") ? job.path("found") : job.path("results");
        assertEquals(1, versions.size(), job.toString());
        JsonNode v = versions.get(0);
        return v.has("versionAfter") ? v.get("versionAfter").asText() : v.get("version").asText();
    }

    private static long lines(JsonNode job, String text) {
        long n = 0;
        for (JsonNode line : job.path("log")) {
            if (line.path("message").asText().contains(text)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void bothNodesServeTheWholeApi() throws Exception {
        try (SharedPostgres db = SharedPostgres.fresh(); Server a = node(db, "a", 0, ON_A);
                Server b = node(db, "b", 0, ON_B)) {
            Server.shareOneStore(a, b);
            a.start();
            b.start();

            JsonNode device = a.post("/devices", "{\"hostname\":\"ws-17\",\"osFamily\":\"linux\",\"timeZone\":"
                    + "\"Europe/Berlin\",\"tags\":[\"pilot\"]}");
            JsonNode onB = b.getJson("/devices/" + device.get("id").asText());
            assertEquals("ws-17", onB.get("hostname").asText(), onB.toString());
            JsonNode group = b.post("/groups", "{\"name\":\"Pilot ring\"}");
            assertEquals("Pilot ring", a.getJson("/groups/" + group.get("id").asText()).get("name").asText());

            // a change on one node is seen, with its version, on the other: optimistic locking spans the nodes
            ((com.fasterxml.jackson.databind.node.ObjectNode) onB).put("hostname", "ws-17b");
            HttpResponse<String> put = b.send(HttpRequest.newBuilder(b.uri("/devices/" + device.get("id").asText()))
                    .header("Content-Type", "application/json").header("If-Match", "\"" + onB.get("version").asText()
                            + "\"").PUT(HttpRequest.BodyPublishers.ofString(onB.toString())));
            assertEquals(200, put.statusCode(), put.body());
            HttpResponse<String> stale = a.send(HttpRequest.newBuilder(a.uri("/devices/" + device.get("id")
                    .asText())).header("Content-Type", "application/json").header("If-Match", "\"" + device.get(
                            "version").asText() + "\"").PUT(HttpRequest.BodyPublishers.ofString(device.toString())));
            assertEquals(412, stale.statusCode(), "A's copy is older than B's write: " + stale.body());
            assertEquals("ws-17b", a.getJson("/devices/" + device.get("id").asText()).get("hostname").asText());
        }
    }

    @Test
    void jobsSubmittedOnEitherNodeRunExactlyOnce() throws Exception {
        int count = 40;
        try (SharedPostgres db = SharedPostgres.fresh(); Server a = node(db, "a", 10, ON_A);
                Server b = node(db, "b", 10, ON_B)) {
            Server.shareOneStore(a, b);
            a.start();
            b.start();
            // a job submitted on one node is read, while queued and once ended, on the other
            String first = submit(b, "SCAN");
            assertEquals(first, a.getJson("/jobs/" + first).get("id").asText());
            JsonNode scanned = ended(a, first);
            assertEquals("SUCCEEDED", scanned.get("state").asText(), scanned.toString());
            assertEquals(scanned.get("endedAt"), b.getJson("/jobs/" + first).get("endedAt"));

            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<String> jobs = Collections.synchronizedList(new ArrayList<>());
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Server on = i % 2 == 0 ? a : b;
                    sent.add(clients.submit(() -> jobs.add(submit(on, "INSTALL"))));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            Map<String, Integer> perNode = new HashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                String job = jobs.get(i);
                JsonNode done = ended(i % 2 == 0 ? a : b, job);
                assertEquals("SUCCEEDED", done.get("state").asText(), done.toString());
                assertEquals(1, done.get("attempt").asInt(), "never retried: " + done);
                assertEquals(1, lines(done, "installed hello"), "the source ran it once: " + done);
                perNode.merge(ranOn(done), 1, Integer::sum);
            }
            JsonNode results = a.getJson("/results?deviceId=local&limit=500").get("items");
            Map<String, Integer> perJob = new HashMap<>();
            results.forEach(r -> perJob.merge(r.get("jobId").asText(), 1, Integer::sum));
            assertEquals(count, perJob.size(), "every job recorded: " + perJob);
            assertTrue(perJob.values().stream().allMatch(n -> n == 1), "each job's result recorded once: " + perJob);
            assertEquals(count, perNode.values().stream().mapToInt(Integer::intValue).sum(), perNode.toString());
        }
    }

    @Test
    void aSourceDrainedOnANodeIsNotClaimedThereWhileTheOtherRunsItsJobs() throws Exception {
        try (SharedPostgres db = SharedPostgres.fresh(); Server a = node(db, "a", 50, ON_A);
                Server b = node(db, "b", 50, ON_B)) {
            Server.shareOneStore(a, b);
            a.start();
            b.start();
            HttpResponse<String> drained = a.send(HttpRequest.newBuilder(a.uri("/sources/test/drain?waitSeconds=30"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, drained.statusCode(), drained.body());
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                jobs.add(submit(i % 2 == 0 ? a : b, "INSTALL"));
            }
            for (String job : jobs) {
                JsonNode done = ended(a, job);
                assertEquals("SUCCEEDED", done.get("state").asText(), done.toString());
                assertEquals(ON_B, ranOn(done), "ran on B while A's source is drained: " + done);
            }
            HttpResponse<String> resumed = a.send(HttpRequest.newBuilder(a.uri("/sources/test/drain")).DELETE());
            assertEquals(200, resumed.statusCode(), resumed.body());
        }
    }

    @Test
    void theJobsOfAKilledNodeAreTakenOverAfterTheLeaseWithNothingLostOrDoubled() throws Exception {
        try (SharedPostgres db = SharedPostgres.fresh(); Server a = node(db, "a", 60_000, ON_A);
                Server b = node(db, "b", 0, ON_B)) {
            Server.shareOneStore(a, b);
            a.start();
            b.start();
            // B's source waits, so A claims the first job; A's source takes a minute per update
            HttpResponse<String> drained = b.send(HttpRequest.newBuilder(b.uri("/sources/test/drain?waitSeconds=30"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, drained.statusCode(), drained.body());
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jobs.add(submit(i % 2 == 0 ? a : b, "INSTALL"));
            }
            JsonNode running = b.await("/jobs/" + jobs.get(0), j -> j.get("state").asText().equals("RUNNING"), LIMIT);
            a.kill();
            HttpResponse<String> resumed = b.send(HttpRequest.newBuilder(b.uri("/sources/test/drain")).DELETE());
            assertEquals(200, resumed.statusCode(), resumed.body());

            JsonNode interrupted = ended(b, jobs.get(0));
            assertEquals("INTERRUPTED", interrupted.get("state").asText(), interrupted.toString());
            interrupted.path("results").forEach(r -> assertEquals("INTERRUPTED", r.get("status").asText(),
                    "the killed attempt installed nothing: " + interrupted));
            JsonNode list = b.getJson("/jobs?deviceId=local&limit=500").get("items");
            List<JsonNode> retries = new ArrayList<>();
            list.forEach(j -> {
                if (jobs.get(0).equals(j.path("retryOf").asText())) {
                    retries.add(j);
                }
            });
            assertEquals(1, retries.size(), "one retry of the killed job: " + list);
            JsonNode retry = ended(b, retries.get(0).get("id").asText());
            assertEquals("SUCCEEDED", retry.get("state").asText(), retry.toString());
            assertEquals(2, retry.get("attempt").asInt(), retry.toString());
            assertEquals(ON_B, ranOn(retry));
            for (String job : jobs.subList(1, 3)) {
                JsonNode done = ended(b, job);
                assertEquals("SUCCEEDED", done.get("state").asText(), done.toString());
                assertEquals(1, done.get("attempt").asInt(), done.toString());
                assertEquals(ON_B, ranOn(done));
            }
            JsonNode results = b.getJson("/results?deviceId=local&limit=500").get("items");
            Map<String, Integer> installed = new HashMap<>();
            results.forEach(r -> {
                if (r.get("status").asText().equals("SUCCEEDED")) {
                    installed.merge(r.get("jobId").asText(), 1, Integer::sum);
                }
            });
            assertEquals(Map.of(retry.get("id").asText(), 1, jobs.get(1), 1, jobs.get(2), 1), installed,
                    "one install recorded for each job that ran to its end, none for the killed attempt: " + results);
            assertTrue(running.get("id").asText().equals(jobs.get(0)));
        }
    }
}
