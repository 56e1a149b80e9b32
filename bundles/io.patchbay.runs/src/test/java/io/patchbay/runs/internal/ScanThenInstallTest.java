package io.patchbay.runs.internal;

import static io.patchbay.runs.internal.Samples.job;
import static io.patchbay.runs.internal.Samples.policy;
import static io.patchbay.runs.internal.Samples.policyRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;

/** The install after a scan: what the policy selects, not blocked, following the scan, within the run's deadline. */
class ScanThenInstallTest {
    private static final Instant DURING = Samples.T0.plusSeconds(60);

    @Test
    void installsWhatThePolicySelectsFollowingTheScan() {
        RunDTO run = policyRun("r").run;
        JobDTO scan = job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r");
        PolicyDTO onlyCritical = policy("advanced");
        onlyCritical.severities = List.of("critical");
        JobRequestDTO install = ScanThenInstall.install(run, onlyCritical, scan, DURING).orElseThrow();
        assertEquals(JobKind.INSTALL, install.kind);
        assertEquals("scan", install.follows);
        assertEquals("r", install.runId);
        assertEquals("d1", install.deviceId);
        assertEquals("apt", install.sourceId);
        assertEquals(run.deadline, install.deadline);
        assertEquals("ops", install.requestedBy);
        assertEquals(List.of("openssl"), install.updates.stream().map(u -> u.id).toList());
    }

    @Test
    void leavesOutBlockedUpdates() {
        JobDTO scan = job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r");
        scan.found.get(0).blockedBy = "rule-1";
        JobRequestDTO install = ScanThenInstall.install(policyRun("r").run, policy("patch-all"), scan, DURING)
                .orElseThrow();
        assertEquals(List.of("vim"), install.updates.stream().map(u -> u.id).toList());
    }

    @Test
    void nothingWhenNothingIsSelectedTheScanFailedOrTheDeadlinePassed() {
        RunDTO run = policyRun("r").run;
        JobDTO scan = job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r");
        PolicyDTO none = policy("patch-only");
        none.inclusions = List.of("firefox*");
        assertTrue(ScanThenInstall.install(run, none, scan, DURING).isEmpty());
        assertTrue(ScanThenInstall.install(run, policy("patch-all"), scan, run.deadline).isEmpty());
        JobDTO failed = job("scan", JobKind.SCAN, JobState.FAILED, "r");
        assertTrue(ScanThenInstall.install(run, policy("patch-all"), failed, DURING).isEmpty());
        RunDTO updateRun = policyRun("r").run;
        updateRun.policyId = null;
        assertTrue(ScanThenInstall.install(updateRun, policy("patch-all"), scan, DURING).isEmpty());
    }
}
