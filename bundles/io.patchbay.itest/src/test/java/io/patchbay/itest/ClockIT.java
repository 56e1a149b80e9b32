package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.Jobs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;

/** The core, the store and the REST API tell time by the highest-ranked Clock service, so a test can set the time. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class ClockIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    Jobs jobs;

    @Test
    void jobsAreStampedByAHigherRankedClockWithoutLosingJobs() throws Exception {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.SCAN;
        r.deviceId = "local";
        r.sourceId = "nowhere";
        JobDTO before = jobs.submit(r);

        Instant then = Instant.parse("2024-02-13T09:30:00Z");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Clock> fixed = context.registerService(Clock.class, Clock.fixed(then, ZoneOffset.UTC),
                props);
        try {
            JobDTO stamped = Await.until("a job stamped by the test clock", HotSwapIT.LIMIT, () -> {
                JobDTO j = jobs.submit(r);
                jobs.cancel(j.id, "test over");
                return then.equals(j.createdAt) ? j : null;
            });
            assertEquals(then, stamped.createdAt);
            assertEquals(before.id, jobs.get(before.id).orElseThrow().id, "the engine kept its jobs");
        } finally {
            fixed.unregister();
        }
        JobDTO after = jobs.submit(r);
        assertEquals(true, after.createdAt.isAfter(then.plusSeconds(86_400)), "back on the system clock");
    }

    @Test
    void storedObjectsAreStampedByAHigherRankedClock() throws Exception {
        Http.awaitReady();
        Bundle fixture = Fixtures.install(context, "1.0.0");
        Instant then = Instant.parse("2024-02-13T09:30:00Z");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Clock> fixed = context.registerService(Clock.class, Clock.fixed(then, ZoneOffset.UTC),
                props);
        try {
            Await.until("the test source", Duration.ofSeconds(20), () -> {
                try {
                    return Http.get("/sources/test").status() == 200 && Http.get("/runs").status() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode rule = StoreIT.post("/blocklist", "{\"updateId\":\"KB-" + StoreIT.unique("clock")
                    .replace(' ', '-') + "\",\"reason\":\"clock test\"}", "ops").json();
            assertEquals(then, Instant.parse(rule.get("createdAt").asText()), rule.toString());
            JsonNode audited = Http.get("/audit?entity=block-rule&entityId=" + rule.get("id").asText()).json()
                    .get("items").get(0);
            assertEquals(then, Instant.parse(audited.get("at").asText()), audited.toString());
            StoreIT.delete("/blocklist/" + rule.get("id").asText(), "*");

            String policy = StoreIT.post("/policies", StoreIT.policyJson(StoreIT.unique("Clock")), "ops").json()
                    .get("id").asText();
            Http.Answer started = StoreIT.post("/runs", "{\"name\":\"" + StoreIT.unique("Clock run")
                    + "\",\"policyId\":\"" + policy + "\",\"deviceIds\":[\"local\"],\"sourceIds\":[\"test\"],"
                    + "\"durationMinutes\":30}", "ops");
            assertEquals(201, started.status(), started.body());
            JsonNode run = started.json();
            assertEquals(then, Instant.parse(run.get("createdAt").asText()), run.toString());
            assertEquals(then.plus(Duration.ofMinutes(30)), Instant.parse(run.get("deadline").asText()));
            Await.until("the run to end", Duration.ofSeconds(60), () -> {
                try {
                    return !Http.get("/runs/" + run.get("id").asText()).json().get("state").asText()
                            .equals("RUNNING");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // more than a year after the test clock's now, though long past on the machine's
            Http.Answer late = StoreIT.post("/jobs", "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":"
                    + "\"test\",\"deadline\":\"" + then.plus(Duration.ofDays(400)) + "\"}", "ops");
            assertEquals(400, late.status(), late.body());
            assertEquals("deadline", late.json().get("field").asText(), late.body());
        } finally {
            fixed.unregister();
            fixture.uninstall();
        }
    }
}
