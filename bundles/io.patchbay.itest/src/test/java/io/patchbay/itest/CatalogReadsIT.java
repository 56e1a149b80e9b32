package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.catalog.AppCatalog;
import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;

/**
 * Catalog plugins are called on Patchbay's own threads and within a time limit: a catalog that hangs gives its own
 * error in {@code GET /catalogs} instead of holding the request, and a scan reads each catalog once.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
@ExtendWith(JobsCleanup.class)
@WithConfiguration(pid = "io.patchbay.source.catalog", location = "?", properties = @Property(key = "readTimeoutSeconds",
        value = "2", scalar = Property.Scalar.Integer))
class CatalogReadsIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseTheHungCatalog() {
        release.countDown();
    }

    /** A catalog that records the threads it is called on and how often it is asked for its applications. */
    static class RecordingCatalog implements AppCatalog {
        final String id;
        final CountDownLatch hangUntil;
        final Map<String, Boolean> threads = new ConcurrentHashMap<>();
        final AtomicInteger appsCalls = new AtomicInteger();

        RecordingCatalog(String id, CountDownLatch hangUntil) {
            this.id = id;
            this.hangUntil = hangUntil;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String name() {
            return id + " catalog";
        }

        @Override
        public List<AppDTO> apps() throws Exception {
            threads.put(Thread.currentThread().getName(), true);
            appsCalls.incrementAndGet();
            if (hangUntil != null) {
                hangUntil.await();
            }
            AppDTO a = new AppDTO();
            a.id = "tool";
            a.name = "tool";
            a.versionScheme = "semver";
            a.releases = List.of();
            a.detection = List.of();
            return List.of(a);
        }
    }

    private static JsonNode entry(JsonNode catalogs, String id) {
        for (JsonNode c : catalogs) {
            if (id.equals(c.path("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("no catalog " + id + " in " + catalogs);
    }

    @Test
    void aHungCatalogGetsItsOwnErrorAndTheOthersAreListed() throws Exception {
        RecordingCatalog hung = new RecordingCatalog("hung", release);
        RecordingCatalog fine = new RecordingCatalog("fine", null);
        context.registerService(AppCatalog.class, hung, null);
        context.registerService(AppCatalog.class, fine, null);
        Await.until("the catalog source", Duration.ofSeconds(20), () -> sources.source("catalog").orElse(null));

        Http.Answer a = Http.get("/catalogs");
        assertEquals(200, a.status(), a.body());
        JsonNode h = entry(a.json(), "hung");
        assertEquals(-1, h.get("applications").asInt());
        assertTrue(h.get("problem").asText().contains("did not list its applications within 2 s"), h.toString());
        assertEquals(1, entry(a.json(), "fine").get("applications").asInt());

        Http.Answer again = Http.get("/catalogs");
        assertEquals(200, again.status(), again.body());
        assertTrue(entry(again.json(), "hung").get("problem").asText().contains("did not list its applications"),
                again.body());
        assertEquals(1, hung.appsCalls.get(), "a second request joins the read under way instead of adding one");
        for (String thread : fine.threads.keySet()) {
            assertTrue(thread.startsWith("patchbay-"), "catalog code ran on " + thread);
        }
    }

    @Test
    void aScanReadsEachCatalogOnceOnPatchbayThreads() throws Exception {
        RecordingCatalog fine = new RecordingCatalog("counted", null);
        context.registerService(AppCatalog.class, fine, null);
        JobDTO scan = LocalJobs.run(jobs, sources, "catalog", JobKind.SCAN, null);
        assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
        assertEquals(1, fine.appsCalls.get(), "apps() is called once per scan");
        assertTrue(fine.threads.keySet().stream().allMatch(t -> t.startsWith("patchbay-")), fine.threads.toString());
    }
}
