package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.HostProvider;
import io.patchbay.api.Jobs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;

/**
 * "Scan, then install" carries on whatever happens to the runs bundle: a scan that ends while it is stopped gets its
 * install when it is back, and a run started before the bundle is replaced is read and carried on by the new one.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class RunContinuationIT {
    @InjectBundleContext
    BundleContext context;

    private Bundle fixture;
    private ServiceRegistration<HostProvider> host;

    @BeforeEach
    void testSource() throws Exception {
        Http.awaitReady();
        fixture = Fixtures.installTestSource(context);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (host != null) {
            host.unregister();
        }
        Bundle runs = runsBundle();
        if (runs.getState() != Bundle.ACTIVE) {
            runs.start();
        }
        fixture.uninstall();
    }

    private Bundle runsBundle() {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("io.patchbay.runs")) {
                return b;
            }
        }
        throw new AssertionError("no io.patchbay.runs bundle");
    }

    private Jobs jobs() {
        ServiceReference<Jobs> ref = context.getServiceReference(Jobs.class);
        return context.getService(ref);
    }

    /** A device without a host yet, so that a run's scan on it waits until the test gives it one. */
    private String deviceWithoutHost() throws Exception {
        return StoreIT.post("/devices", "{\"hostname\":\"later-1\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}",
                "ops").json().get("id").asText();
    }

    private String startRun(String device) throws Exception {
        String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Continued")), "ops").json()
                .get("id").asText();
        Http.Answer run = StoreIT.post("/runs", "{\"name\":\"" + StoreIT.unique("continued") + "\",\"policyId\":\""
                + policy + "\",\"deviceIds\":[\"" + device + "\"],\"sourceIds\":[\"test\"]}", "ops");
        assertEquals(201, run.status(), run.body());
        return run.json().get("id").asText();
    }

    /** Gives the device a host, and has the engine look at its waiting jobs again (a job submitted does). */
    private void reachable(String device) {
        host = context.registerService(HostProvider.class, d -> device.equals(d.id)
                ? Optional.of(new WindowsFixtures.RegistryHost()) : Optional.empty(), null);
        JobRequestDTO nudge = new JobRequestDTO();
        nudge.kind = JobKind.SCAN;
        nudge.deviceId = "local";
        nudge.sourceId = "test";
        jobs().submit(nudge);
    }

    private JsonNode awaitRunEnd(String id) throws Exception {
        return Await.until("run " + id + " to end", Duration.ofSeconds(60), () -> {
            try {
                Http.Answer a = Http.get("/runs/" + id);
                return a.status() == 200 && !a.json().get("state").asText().equals("RUNNING") ? a.json() : null;
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static JobDTO install(List<JobDTO> jobsOfRun) {
        return jobsOfRun.stream().filter(j -> j.kind == JobKind.INSTALL).findFirst().orElse(null);
    }

    @Test
    void aScanThatEndedWhileTheRunsBundleWasStoppedIsInstalledWhenItIsBack() throws Exception {
        String device = deviceWithoutHost();
        String run = startRun(device);
        Bundle runs = runsBundle();
        runs.stop();

        reachable(device);
        Jobs engine = jobs();
        Await.until("the scan to end unheard", Duration.ofSeconds(30), () -> engine.ofRun(run).stream()
                .anyMatch(j -> j.kind == JobKind.SCAN && j.state.isFinal()));
        Thread.sleep(500);
        assertEquals(1, engine.ofRun(run).size(), "nothing carries the run on while its bundle is stopped: "
                + engine.ofRun(run));

        runs.start();
        JsonNode ended = awaitRunEnd(run);
        assertEquals("SUCCEEDED", ended.get("state").asText(), ended.toString());
        JobDTO install = install(engine.ofRun(run));
        assertTrue(install != null, "the install after the scan: " + engine.ofRun(run));
        assertEquals(2, install.requested.size(), "hello and world, as the scan found them");
        Thread.sleep(500);
        assertEquals(2, engine.ofRun(run).size(), "one install, however often the run is carried on");
    }

    @Test
    void aRunOutlivesAnUpdateOfTheRunsBundle() throws Exception {
        String device = deviceWithoutHost();
        String run = startRun(device);
        assertEquals("RUNNING", Http.get("/runs/" + run).json().get("state").asText());

        runsBundle().update();
        JsonNode during = Await.until("the run read by the new bundle", Duration.ofSeconds(30), () -> {
            try {
                Http.Answer a = Http.get("/runs/" + run);
                return a.status() == 200 ? a.json() : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertEquals("RUNNING", during.get("state").asText(), during.toString());

        reachable(device);
        JsonNode ended = awaitRunEnd(run);
        assertEquals("SUCCEEDED", ended.get("state").asText(), ended.toString());
        assertEquals(2, ended.get("jobStates").get("SUCCEEDED").asInt(), ended.toString());
    }
}
