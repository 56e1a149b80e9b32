package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Sources;

/**
 * Ordinary traffic from many clients at once over real HTTP (jobs submitted, health and sources polled, a source
 * drained and resumed, its bundle updated) must never freeze the server: no thread may deadlock and no request may
 * go unanswered for long.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class StressIT {
    /** How long the traffic runs. */
    static final Duration TRAFFIC = Duration.ofSeconds(12);
    /** A request that takes longer than this counts as the server hanging, far beyond any ordinary answer. */
    static final Duration HANG = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    Sources sources;

    private Bundle fixture;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            Http.delete("/sources/test/drain");
        } finally {
            if (fixture != null && fixture.getState() != Bundle.UNINSTALLED) {
                fixture.uninstall();
            }
        }
    }

    @Test
    void mixedTrafficNeverDeadlocksAndEveryRequestIsAnswered() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("source test", HotSwapIT.LIMIT, () -> sources.source("test").orElse(null));
        Http.awaitReady();
        String api = Http.api();
        String scan = "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}";
        String install = "{\"kind\":\"INSTALL\",\"deviceId\":\"local\",\"sourceId\":\"test\","
                + "\"updates\":[{\"id\":\"hello\",\"installedVersion\":\"1.0\",\"version\":\"1.1\"}]}";

        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String body = i % 2 == 0 ? scan : install;
            clients.add(client("submit-" + i, () -> request("POST /jobs", post(api + "/jobs", body))));
        }
        for (int i = 0; i < 3; i++) {
            clients.add(client("poll-" + i, () -> {
                request("GET /health", get(api + "/health"));
                request("GET /sources", get(api + "/sources"));
            }));
        }
        clients.add(client("submit-then-list", () -> {
            request("POST /jobs", post(api + "/jobs", scan));
            request("GET /sources", get(api + "/sources"));
        }));
        clients.add(client("drain-resume", () -> {
            request("POST /sources/test/drain", HttpRequest.newBuilder(URI.create(api
                    + "/sources/test/drain?waitSeconds=1")).POST(HttpRequest.BodyPublishers.noBody()));
            request("DELETE /sources/test/drain", HttpRequest.newBuilder(URI.create(api + "/sources/test/drain"))
                    .DELETE());
            Thread.sleep(200);
        }));
        AtomicInteger version = new AtomicInteger(1);
        clients.add(client("bundle-update", () -> {
            Thread.sleep(2_000);
            Fixtures.update(fixture, "1.0." + version.getAndIncrement());
            answered.computeIfAbsent("bundle update", k -> new AtomicInteger()).incrementAndGet();
        }));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        clients.forEach(Thread::start);
        long end = System.nanoTime() + TRAFFIC.toNanos();
        String deadlock = null;
        while (System.nanoTime() < end && deadlock == null) {
            Thread.sleep(250);
            deadlock = deadlocked(threads);
        }
        stop.set(true);
        for (Thread t : clients) {
            t.join(HANG.toMillis() + 10_000);
        }
        if (deadlock == null) {
            deadlock = deadlocked(threads);
        }

        System.out.println("StressIT: answers in " + TRAFFIC + ": " + answered + "; failures: " + failures.size());
        assertNull(deadlock, "threads deadlocked");
        for (Thread t : clients) {
            assertFalse(t.isAlive(), t.getName() + " is still waiting for an answer");
        }
        assertEquals(List.of(), failures);
        for (String kind : List.of("POST /jobs", "GET /health", "GET /sources", "POST /sources/test/drain",
                "DELETE /sources/test/drain", "bundle update")) {
            assertTrue(answered.containsKey(kind), "no " + kind + " was made: " + answered);
        }
        assertEquals(200, Http.get("/health").status(), "the server still answers");
    }

    private interface Step {
        void run() throws Exception;
    }

    private Thread client(String name, Step step) {
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    step.run();
                } catch (HttpTimeoutException e) {
                    failures.add(name + ": no answer within " + HANG);
                    return;
                } catch (Exception e) {
                    failures.add(name + ": " + e);
                    return;
                }
            }
        }, "stress-" + name);
        t.setDaemon(true);
        return t;
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private static HttpRequest.Builder post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** Sends one request; any answer but a server error counts (404 while the source is away, 429 when busy). */
    private void request(String kind, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.header("Authorization", Http.bearer()).timeout(HANG).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
            failures.add(kind + " answered " + r.statusCode() + ": " + r.body());
        }
        answered.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String deadlocked(ThreadMXBean threads) {
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return null;
        }
        StringBuilder report = new StringBuilder();
        for (ThreadInfo info : threads.getThreadInfo(ids, true, true)) {
            report.append(info);
        }
        return report.toString();
    }
}
