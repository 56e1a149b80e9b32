package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.SourceDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.UpdateSource;

/** Source bundles installed, updated and uninstalled for real while the server runs jobs on them. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
@ExtendWith(JobsCleanup.class)
class HotSwapIT {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    @InjectService(cardinality = 0, filter = "(patchbay.source.type=test)")
    ServiceAware<UpdateSource> testSources;

    private Bundle fixture;

    @AfterEach
    void uninstall() throws Exception {
        if (fixture != null && fixture.getState() != Bundle.UNINSTALLED) {
            fixture.uninstall();
        }
    }

    private SourceDTO awaitSource(String id) throws InterruptedException {
        return Await.until("source " + id, LIMIT, () -> sources.source(id).orElse(null));
    }

    private JobDTO awaitState(String jobId, JobState state) throws InterruptedException {
        return Await.until("job " + jobId + " to be " + state, LIMIT,
                () -> jobs.get(jobId).filter(j -> j.state == state).orElse(null));
    }

    private JobDTO installHello(String sourceId) {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.INSTALL;
        r.deviceId = "local";
        r.sourceId = sourceId;
        UpdateDTO hello = new UpdateDTO();
        hello.id = "hello";
        hello.installedVersion = "1.0";
        hello.version = "1.1";
        r.updates = List.of(hello);
        return jobs.submit(r);
    }

    @Test
    void aSourceArrivesAndLeavesWithItsBundle() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        testSources.waitForService(LIMIT.toMillis());
        SourceDTO source = awaitSource("test");
        assertEquals("test", source.type);
        assertEquals(Fixtures.TEST_SOURCE_BSN, source.bundle);
        assertEquals("1.0.0", source.bundleVersion);
        assertTrue(source.platforms.contains("linux"), source.platforms.toString());
        assertEquals("ACTIVE", source.state);

        fixture.uninstall();
        Await.until("the source to leave", LIMIT, () -> testSources.isEmpty());
        assertTrue(sources.source("test").isEmpty());
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "io.patchbay.test.source", name = "slow", location = "?", properties = {
            @Property(key = "patchbay.source.id", value = "slow"),
            @Property(key = "stepMillis", value = "4000", scalar = Property.Scalar.Long) })
    void uninstallingASourceMidJobInterruptsTheJobAndTheServerKeepsServing() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        awaitSource("slow");
        JobDTO job = installHello("slow");
        awaitState(job.id, JobState.RUNNING);

        fixture.uninstall();

        JobDTO interrupted = awaitState(job.id, JobState.INTERRUPTED);
        assertTrue(interrupted.reason.contains("left while the job ran"), interrupted.reason);
        assertEquals(UpdateStatus.INTERRUPTED, interrupted.results.get(0).status);
        assertEquals(200, Http.get("/health").status(), "the server keeps serving");
        JobDTO retry = jobs.list().stream().filter(j -> job.id.equals(j.retryOf)).findFirst().orElseThrow();
        JobDTO waiting = awaitState(retry.id, JobState.WAITING);
        assertTrue(waiting.reason.contains("source 'slow' is not available"), waiting.reason);
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "io.patchbay.test.source", name = "slow", location = "?", properties = {
            @Property(key = "patchbay.source.id", value = "slow"),
            @Property(key = "stepMillis", value = "3000", scalar = Property.Scalar.Long) })
    void updatingASourceMidJobInterruptsItAndTheRetryRunsOnTheNewVersion() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        awaitSource("slow");
        JobDTO job = installHello("slow");
        awaitState(job.id, JobState.RUNNING);

        Fixtures.update(fixture, "1.0.1");

        assertEquals(JobState.INTERRUPTED, awaitState(job.id, JobState.INTERRUPTED).state);
        JobDTO retry = Await.until("the retry", LIMIT,
                () -> jobs.list().stream().filter(j -> job.id.equals(j.retryOf)).findFirst().orElse(null));
        JobDTO done = jobs.await(retry.id, LIMIT).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state, done.reason);
        assertEquals("1.0.1", done.sourceBundleVersion);
        assertEquals("1.1", done.results.get(0).versionAfter);
        assertEquals(2, done.attempt);
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "io.patchbay.test.source", name = "slow", location = "?", properties = {
            @Property(key = "patchbay.source.id", value = "slow"),
            @Property(key = "stepMillis", value = "2000", scalar = Property.Scalar.Long) })
    void anOperatorReplaceDrainsTheSourceSoNoJobIsInterrupted() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        awaitSource("slow");
        JobDTO running = installHello("slow");
        awaitState(running.id, JobState.RUNNING);

        Http.Answer drained = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Http.api()
                + "/sources/slow/drain?waitSeconds=20")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, drained.status(), drained.body());
        assertEquals("DRAINING", drained.json().get("state").asText());
        assertEquals(0, drained.json().get("runningJobs").asInt(), "the drain answers once running jobs ended");
        assertEquals(JobState.SUCCEEDED, jobs.get(running.id).orElseThrow().state, "finished, not interrupted");

        JobRequestDTO scan = new JobRequestDTO();
        scan.kind = JobKind.SCAN;
        scan.deviceId = "local";
        scan.sourceId = "slow";
        JobDTO held = awaitState(jobs.submit(scan).id, JobState.WAITING);
        assertTrue(held.reason.contains("drained"), held.reason);

        Http.Answer broken = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Http.api()
                + "/sources/slow/bundle")).header("Content-Type", "application/java-archive")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("not a jar")));
        assertEquals(400, broken.status(), broken.body());
        assertEquals("1.0.0", sources.source("slow").orElseThrow().bundleVersion, "a bad jar replaces nothing");

        Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Http.api() + "/sources/slow/drain"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        Http.Answer replaced = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Http.api()
                + "/sources/slow/bundle?waitSeconds=20")).header("Content-Type", "application/java-archive")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Fixtures.testSource("1.0.1"))));
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals("1.0.1", replaced.json().get("bundleVersion").asText());
        assertEquals("ACTIVE", replaced.json().get("state").asText(), "resumed after the replacement");
        assertEquals(JobState.SUCCEEDED, jobs.await(held.id, LIMIT).orElseThrow().state, "the held job ran");
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "io.patchbay.test.source", name = "stubborn", location = "?", properties = {
            @Property(key = "patchbay.source.id", value = "stubborn"),
            @Property(key = "stepMillis", value = "60000", scalar = Property.Scalar.Long),
            @Property(key = "ignoreCancel", value = "true", scalar = Property.Scalar.Boolean) })
    void aSourceThatIgnoresTheStopRequestIsInterrupted() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        awaitSource("stubborn");
        JobDTO job = installHello("stubborn");
        awaitState(job.id, JobState.RUNNING);

        fixture.uninstall();

        JobDTO interrupted = awaitState(job.id, JobState.INTERRUPTED);
        assertTrue(interrupted.log.stream().anyMatch(l -> l.message.contains("left")), interrupted.log.toString());
        assertEquals(200, Http.get("/health").status());
    }
}
