package io.patchbay.runs.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.patchbay.api.PolicyRules;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.UpdateDTO;

/** The second step of a policy run on a device: install what the policy selects from what the scan found. */
final class ScanThenInstall {
    private ScanThenInstall() {
    }

    /** Whether the job may have a next step: a scan of a policy run that succeeded. */
    static boolean mayCarryOn(RunDTO run, JobDTO job) {
        return run.policyId != null && job.kind == JobKind.SCAN && job.state == JobState.SUCCEEDED;
    }

    /**
     * The install that carries on the scan, following it; empty when the policy selects nothing that is not blocked,
     * or the run's deadline has passed.
     */
    static Optional<JobRequestDTO> install(RunDTO run, PolicyDTO policy, JobDTO scan, Instant now) {
        if (!mayCarryOn(run, scan) || scan.found == null || !now.isBefore(run.deadline)) {
            return Optional.empty();
        }
        List<UpdateDTO> selected = scan.found.stream().filter(u -> u.blockedBy == null)
                .filter(u -> PolicyRules.selects(policy, u, now)).toList();
        if (selected.isEmpty()) {
            return Optional.empty();
        }
        JobRequestDTO install = new JobRequestDTO();
        install.kind = JobKind.INSTALL;
        install.deviceId = scan.deviceId;
        install.sourceId = scan.sourceId;
        install.updates = selected;
        install.deadline = run.deadline;
        install.requestedBy = run.requestedBy;
        install.runId = run.id;
        install.follows = scan.id;
        return Optional.of(install);
    }
}
