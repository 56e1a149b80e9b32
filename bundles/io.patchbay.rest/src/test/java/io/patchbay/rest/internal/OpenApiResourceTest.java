package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OpenApiResourceTest {

    @Test
    void theDescriptionIsBuiltByTheFirstRequestNotAtStartAndOnlyOnce() throws Exception {
        AtomicInteger built = new AtomicInteger();
        CountDownLatch requestsWaiting = new CountDownLatch(1);
        OpenApiResource resource = new OpenApiResource(() -> {
            built.incrementAndGet();
            requestsWaiting.await(10, TimeUnit.SECONDS);
            return "{\"openapi\":\"3.0.1\"}";
        });
        assertEquals(0, built.get(), "nothing is built while the resource starts");

        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(requests.submit(resource::openapi));
            }
            requestsWaiting.countDown();
            for (Future<String> answer : answers) {
                assertEquals("{\"openapi\":\"3.0.1\"}", answer.get(10, TimeUnit.SECONDS));
            }
        } finally {
            requests.shutdownNow();
        }
        assertEquals("{\"openapi\":\"3.0.1\"}", resource.openapi());
        assertEquals(1, built.get(), "built once, by the first request, for every request");
    }
}
