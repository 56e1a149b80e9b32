package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.BlockList;
import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateStatus;

/** The core enforces the block list whatever the source. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class BlockListIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    @InjectService
    BlockList blockList;

    private Bundle fixture;
    private BlockRuleDTO rule;

    @AfterEach
    void cleanUp() throws Exception {
        if (rule != null) {
            blockList.remove(rule.id);
        }
        if (fixture != null) {
            fixture.uninstall();
        }
    }

    private JobDTO run(JobKind kind, String... ids) throws InterruptedException {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = kind;
        r.deviceId = "local";
        r.sourceId = "test";
        r.updates = java.util.Arrays.stream(ids).map(id -> {
            UpdateDTO u = new UpdateDTO();
            u.id = id;
            return u;
        }).toList();
        JobDTO done = jobs.await(jobs.submit(r).id, Duration.ofSeconds(20)).orElseThrow();
        assertTrue(done.state.isFinal(), done.state + " " + done.reason);
        return done;
    }

    @Test
    void aBlockedUpdateIsNeitherInstalledNorOfferedAsInstallable() throws Exception {
        fixture = Fixtures.install(context, "1.0.0");
        Await.until("the test source", Duration.ofSeconds(20), () -> sources.source("test").orElse(null));
        BlockRuleDTO r = new BlockRuleDTO();
        r.updateId = "hello";
        r.reason = "hello 1.1 breaks the kiosk app";
        r.createdBy = "ops@example.com";
        rule = blockList.add(r);

        JobDTO install = run(JobKind.INSTALL, "hello", "world");
        assertEquals(JobState.SUCCEEDED, install.state);
        assertEquals(UpdateStatus.BLOCKED, install.results.get(0).status);
        assertTrue(install.results.get(0).message.contains("breaks the kiosk app"), install.results.get(0).message);
        assertEquals(UpdateStatus.SUCCEEDED, install.results.get(1).status);

        JobDTO scan = run(JobKind.SCAN);
        List<UpdateDTO> found = scan.found;
        assertEquals(1, found.size(), "world is installed now, hello is still missing: " + found);
        assertEquals("hello", found.get(0).id);
        assertEquals(rule.id, found.get(0).blockedBy);

        blockList.remove(rule.id);
        rule = null;
        JobDTO scanAgain = run(JobKind.SCAN);
        assertNull(scanAgain.found.get(0).blockedBy);
    }
}
