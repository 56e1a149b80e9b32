package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import io.patchbay.api.AgentJobs;
import io.patchbay.api.Jobs;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.JobContext;
import io.patchbay.api.source.SourceConstants;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.UpdateSource;

/** Jobs are rows of the store's queue: they outlive a restart of the store, and a device's agent runs them remotely. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(JobsCleanup.class)
class DurableJobsIT {
    @InjectBundleContext
    BundleContext context;

    private <T> T service(Class<T> type) throws InterruptedException {
        return Await.until(type.getSimpleName(), Duration.ofSeconds(30), () -> {
            ServiceReference<T> ref = context.getServiceReference(type);
            return ref == null ? null : context.getService(ref);
        });
    }

    private Bundle store() {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals("io.patchbay.store")) {
                return b;
            }
        }
        throw new AssertionError("no store bundle");
    }

    /** A source that finds one update on every device. */
    static final class OneUpdate implements UpdateSource {
        @Override
        public List<UpdateDTO> scan(Target target, JobContext context) {
            UpdateDTO u = new UpdateDTO();
            u.id = "hello";
            u.installedVersion = "1.0";
            u.version = "1.1";
            return List.of(u);
        }

        @Override
        public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context) {
            return List.of();
        }

        @Override
        public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context) {
            return List.of();
        }
    }

    @Test
    void aQueuedJobSurvivesARestartOfTheStoreAndRunsAfterIt() throws Exception {
        String sourceId = "durable-" + UUID.randomUUID().toString().substring(0, 8);
        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.SCAN;
        r.deviceId = "local";
        r.sourceId = sourceId;
        JobDTO queued = service(Jobs.class).submit(r);
        assertEquals(JobState.WAITING, queued.state, "its source is not there yet");

        Bundle store = store();
        store.stop();
        store.start();
        Jobs jobs = service(Jobs.class);
        JobDTO after = Await.until("the job back from the store", Duration.ofSeconds(30),
                () -> jobs.get(queued.id).orElse(null));
        assertEquals(JobState.WAITING, after.state);

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SourceConstants.SOURCE_TYPE, "itest");
        props.put(SourceConstants.SOURCE_ID, sourceId);
        props.put(SourceConstants.SOURCE_PLATFORMS, SourceConstants.PLATFORM_LINUX);
        ServiceRegistration<UpdateSource> source = context.registerService(UpdateSource.class, new OneUpdate(), props);
        try {
            JobDTO ended = jobs.await(queued.id, Duration.ofSeconds(30)).orElseThrow();
            assertEquals(JobState.SUCCEEDED, ended.state, ended.reason);
            assertEquals("hello", ended.found.get(0).id);
        } finally {
            source.unregister();
        }
    }

    @Test
    void anAgentClaimsReportsProgressAndReportsThroughTheService() throws Exception {
        Http.awaitReady();
        String device = Await.until("a device without a host here", Duration.ofSeconds(30), () -> {
            try {
                Http.Answer a = Http.post("/devices", "{\"hostname\":\"agent-" + UUID.randomUUID().toString()
                        .substring(0, 8) + "\",\"osFamily\":\"linux\",\"timeZone\":\"UTC\"}");
                return a.status() == 201 ? a.json().get("id").asText() : null;
            } catch (Exception e) {
                return null;
            }
        });
        Jobs jobs = service(Jobs.class);
        AgentJobs agent = service(AgentJobs.class);
        assertEquals(Optional.empty(), agent.claim(device), "nothing due yet");

        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.INSTALL;
        r.deviceId = device;
        r.sourceId = "apt";
        UpdateDTO u = new UpdateDTO();
        u.id = "curl";
        u.version = "8.0";
        r.updates = List.of(u);
        JobDTO job = jobs.submit(r);

        JobClaimDTO claim = agent.claim(device).orElseThrow();
        assertEquals(job.id, claim.job.id);
        assertEquals(JobState.RUNNING, jobs.get(job.id).orElseThrow().state);
        JobProgressDTO progress = new JobProgressDTO();
        progress.claimId = claim.claimId;
        progress.percent = 40;
        progress.log = List.of("downloading curl 8.0");
        assertFalse(agent.progress(device, job.id, progress).stopRequested);

        JobReportDTO report = new JobReportDTO();
        report.claimId = claim.claimId;
        report.state = JobState.SUCCEEDED;
        UpdateResultDTO result = new UpdateResultDTO();
        result.updateId = "curl";
        result.status = UpdateStatus.SUCCEEDED;
        result.versionBefore = "7.0";
        result.versionAfter = "8.0";
        report.results = List.of(result);
        JobDTO recorded = agent.report(device, job.id, report);
        assertEquals(JobState.SUCCEEDED, recorded.state, recorded.reason);
        assertEquals(recorded.endedAt, agent.report(device, job.id, report).endedAt, "recorded once");

        JobDTO read = jobs.get(job.id).orElseThrow();
        assertEquals(JobState.SUCCEEDED, read.state);
        assertTrue(read.log.stream().anyMatch(l -> l.message.equals("downloading curl 8.0")), read.log.toString());
        Http.Answer results = Http.get("/results?deviceId=" + device);
        assertEquals(200, results.status());
        assertNotNull(results.json().get("items").get(0));
        assertEquals("8.0", results.json().get("items").get(0).get("versionAfter").asText());
    }
}
