package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Jobs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;

/** The core tells time by the highest-ranked Clock service, so a test can set the time. */
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
}
