package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/** Requests that wait (waitSeconds) cannot take every server thread: the server keeps answering others. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class LongPollIT {
    /** More than Jetty's 200 threads. */
    static final int WAITERS = 250;

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
        Http.delete("/sources/test/drain");
        fixture.uninstall();
    }

    @Test
    void manyWaitsOnAJobLeaveTheServerAnswering() throws Exception {
        Http.Answer drained = Http.raw("POST", "/sources/test/drain?waitSeconds=0", Map.of(), null);
        assertEquals(200, drained.status(), drained.body());
        Http.Answer job = Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}");
        assertEquals(201, job.status(), job.body());
        String id = job.json().get("id").asText();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            waits.add(client.sendAsync(HttpRequest.newBuilder(URI.create(Http.api() + "/jobs/" + id
                    + "?waitSeconds=30")).header("Authorization", Http.bearer()).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        try {
            // most of the waits are answered at once, with the job as it is
            Await.until("all but the bounded number of waits answered", Duration.ofSeconds(20),
                    () -> waits.stream().filter(CompletableFuture::isDone).count() >= WAITERS - 32);
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = fresh.send(HttpRequest.newBuilder(URI.create(Http.api() + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            for (CompletableFuture<HttpResponse<String>> w : waits) {
                if (w.isDone()) {
                    HttpResponse<String> r = w.get();
                    assertEquals(200, r.statusCode(), r.body());
                    String state = Http.JSON.readTree(r.body()).get("state").asText();
                    assertEquals("WAITING", state, r.body());
                }
            }
        } finally {
            Http.delete("/sources/test/drain");
            Http.post("/jobs/" + id + "/cancel", "");
            for (CompletableFuture<HttpResponse<String>> w : waits) {
                try {
                    w.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // only the server's state matters after the test
                }
            }
        }
    }
}
