package io.patchbay.runs.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;
import io.patchbay.api.dto.UpdateDTO;

/** Runs, jobs, policies and updates as the tests of this bundle need them. */
final class Samples {
    static final Instant T0 = Instant.parse("2026-11-10T02:00:00Z");

    private Samples() {
    }

    static RunRecordDTO policyRun(String id) {
        RunRecordDTO record = new RunRecordDTO();
        record.run = new RunDTO();
        record.run.id = id;
        record.run.name = "Patch Tuesday";
        record.run.policyId = "p1";
        record.run.createdAt = T0;
        record.run.deadline = T0.plusSeconds(3600);
        record.run.requestedBy = "ops";
        record.jobs = new ArrayList<>();
        return record;
    }

    static RunRecordDTO.RunJobDTO noted(RunRecordDTO record, String jobId, String follows, boolean handled) {
        RunRecordDTO.RunJobDTO n = new RunRecordDTO.RunJobDTO();
        n.jobId = jobId;
        n.follows = follows;
        n.handled = handled;
        record.jobs.add(n);
        return n;
    }

    static JobDTO job(String id, JobKind kind, JobState state, String runId) {
        JobDTO j = new JobDTO();
        j.id = id;
        j.kind = kind;
        j.state = state;
        j.runId = runId;
        j.deviceId = "d1";
        j.sourceId = "apt";
        j.attempt = 1;
        j.createdAt = T0.plusSeconds(1);
        j.endedAt = state.isFinal() ? T0.plusSeconds(2) : null;
        j.found = kind == JobKind.SCAN && state == JobState.SUCCEEDED ? List.of(update("openssl", "critical"),
                update("vim", "low")) : null;
        return j;
    }

    static UpdateDTO update(String id, String severity) {
        UpdateDTO u = new UpdateDTO();
        u.id = id;
        u.name = id;
        u.sourceId = "apt";
        u.sourceType = "apt";
        u.severity = severity;
        u.version = "2.0";
        return u;
    }

    static PolicyDTO policy(String type) {
        PolicyDTO p = new PolicyDTO();
        p.id = "p1";
        p.name = "policy";
        p.type = type;
        p.enabled = true;
        return p;
    }
}
