package io.patchbay.runs.internal;

import static io.patchbay.runs.internal.Samples.T0;
import static io.patchbay.runs.internal.Samples.job;
import static io.patchbay.runs.internal.Samples.noted;
import static io.patchbay.runs.internal.Samples.policyRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;

/** A run's state from its jobs: never SUCCEEDED while a next step is due or while jobs are unknown. */
class RunStateTest {
    private static final Instant DURING = T0.plusSeconds(60);

    @Test
    void aScanThatEndedIsNotDoneUntilTheRunHandledItsNextStep() {
        RunRecordDTO record = policyRun("r");
        noted(record, "scan", null, false);
        JobDTO scan = job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r");
        assertEquals("RUNNING", RunState.of(record, List.of(scan), DURING).state);

        record.jobs.get(0).handled = true;
        noted(record, "install", "scan", false);
        JobDTO install = job("install", JobKind.INSTALL, JobState.QUEUED, "r");
        assertEquals("RUNNING", RunState.of(record, List.of(scan, install), DURING).state);

        install.state = JobState.SUCCEEDED;
        assertEquals("RUNNING", RunState.of(record, List.of(scan, install), DURING).state, "its end not handled yet");
        record.jobs.get(1).handled = true;
        RunDTO done = RunState.of(record, List.of(scan, install), DURING);
        assertEquals("SUCCEEDED", done.state);
        assertNull(done.reason);
        assertEquals(Map.of("SUCCEEDED", 2), done.jobStates);
    }

    @Test
    void afterItsDeadlineNoNextStepIsDue() {
        RunRecordDTO record = policyRun("r");
        noted(record, "scan", null, false);
        JobDTO scan = job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r");
        assertEquals("SUCCEEDED", RunState.of(record, List.of(scan), record.run.deadline).state);
    }

    @Test
    void jobsTheEngineDoesNotKnowMakeTheRunInterruptedNeverSucceeded() {
        RunRecordDTO record = policyRun("r");
        noted(record, "scan", null, true);
        noted(record, "install", "scan", false);
        RunDTO run = RunState.of(record, List.of(job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r")), DURING);
        assertEquals("INTERRUPTED", run.state);
        assertTrue(run.reason.startsWith("1 job(s) of this run were queued or running when the server stopped"),
                run.reason);
    }

    @Test
    void aJobUnderWayKeepsTheRunRunningEvenWithUnknownJobs() {
        RunRecordDTO record = policyRun("r");
        noted(record, "lost", null, false);
        noted(record, "scan", null, false);
        assertEquals("RUNNING", RunState.of(record, List.of(job("scan", JobKind.SCAN, JobState.RUNNING, "r")),
                DURING).state);
    }

    @Test
    void aRetryStandsForTheAttemptItRetries() {
        RunRecordDTO record = policyRun("r");
        noted(record, "first", null, true);
        JobDTO first = job("first", JobKind.INSTALL, JobState.INTERRUPTED, "r");
        JobDTO second = job("second", JobKind.INSTALL, JobState.SUCCEEDED, "r");
        second.retryOf = "first";
        second.attempt = 2;
        noted(record, "second", null, true);
        RunDTO run = RunState.of(record, List.of(first, second), DURING);
        assertEquals("SUCCEEDED", run.state);
        assertEquals(Map.of("INTERRUPTED", 1, "SUCCEEDED", 1), run.jobStates, "every attempt is counted");
    }

    @Test
    void outcomesOfSeveralDevices() {
        RunRecordDTO record = policyRun("r");
        noted(record, "a", null, true);
        noted(record, "b", null, true);
        JobDTO a = job("a", JobKind.INSTALL, JobState.SUCCEEDED, "r");
        JobDTO b = job("b", JobKind.INSTALL, JobState.FAILED, "r");
        assertEquals("PARTIAL", RunState.of(record, List.of(a, b), DURING).state);
        a.state = JobState.TIMED_OUT;
        assertEquals("FAILED", RunState.of(record, List.of(a, b), DURING).state);
    }

    @Test
    void aRunWithoutJobsOrWithAStepThatCouldNotStartFails() {
        RunRecordDTO empty = policyRun("r");
        RunDTO none = RunState.of(empty, List.of(), DURING);
        assertEquals("FAILED", none.state);
        assertTrue(none.reason.contains("no jobs"), none.reason);

        RunRecordDTO refused = policyRun("r");
        refused.failure = "INSTALL on device 'd1' with source 'apt' could not start: too many jobs";
        noted(refused, "scan", null, true);
        RunDTO run = RunState.of(refused, List.of(job("scan", JobKind.SCAN, JobState.SUCCEEDED, "r")), DURING);
        assertEquals("FAILED", run.state);
        assertEquals(refused.failure, run.reason);
    }

    @Test
    void aJobThatJoinedTheRunIsWaitedForUntilTheRunHandledItsEnd() {
        RunRecordDTO record = policyRun("r");
        JobDTO joined = job("joined", JobKind.SCAN, JobState.SUCCEEDED, "r");
        assertEquals("RUNNING", RunState.of(record, List.of(joined), DURING).state);
        noted(record, "joined", null, true);
        assertEquals("SUCCEEDED", RunState.of(record, List.of(joined), DURING).state);
    }
}
