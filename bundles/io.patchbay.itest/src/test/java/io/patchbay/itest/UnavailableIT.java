package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

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

/** The API while a part it needs is missing: 503 in problem+json with Retry-After, never a 404 or an HTML page. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class UnavailableIT {
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
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType() + " " + a.body());
        JsonNode p = a.json();
        assertEquals(status, p.get("status").asInt(), a.body());
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
        assertFalse(a.body().contains("Exception"), a.body());
    }

    @Test
    void theApiAnswers503InProblemJsonWhileItsStoreOrItsJaxRsRuntimeIsMissing() throws Exception {
        Bundle store = bundle("io.patchbay.store");
        store.stop();
        try {
            Await.until("the store's resources to go", Duration.ofSeconds(20), () -> {
                try {
                    return Http.get("/devices").body().contains("store is not available");
                } catch (Exception e) {
                    return false;
                }
            });
            Http.Answer devices = Http.get("/devices");
            assertProblem(devices, 503, "store is not available");
            assertEquals("5", devices.raw().headers().firstValue("Retry-After").orElse(""));
            assertProblem(Http.get("/reports/compliance"), 503, "store is not available");
            assertProblem(Http.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"test\"}"), 503,
                    "store is not available");
        } finally {
            store.start();
        }
        Http.awaitReady();
        Bundle jaxrs = bundle("org.apache.aries.jax.rs.whiteboard");
        jaxrs.stop();
        try {
            Await.until("the API to go with the JAX-RS runtime", Duration.ofSeconds(20), () -> {
                try {
                    return Http.get("/health").status() == 503;
                } catch (Exception e) {
                    return false;
                }
            });
            Http.Answer starting = Http.get("/health");
            assertProblem(starting, 503, "starting");
            assertTrue(starting.raw().headers().firstValue("Retry-After").isPresent());
        } finally {
            jaxrs.start();
        }
        Http.awaitReady();
        Await.until("the test source back over HTTP", Duration.ofSeconds(20), () -> {
            try {
                return Http.get("/sources/test").status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private Bundle bundle(String name) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }
}
