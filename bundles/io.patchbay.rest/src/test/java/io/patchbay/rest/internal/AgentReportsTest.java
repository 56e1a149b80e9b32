package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

class AgentReportsTest {
    private static JobReportDTO report() {
        JobReportDTO r = new JobReportDTO();
        r.claimId = "claim-1";
        r.state = JobState.SUCCEEDED;
        return r;
    }

    private static String refusedField(Runnable check) {
        return assertThrows(InvalidInputException.class, check::run).field();
    }

    @Test
    void aReportNeedsItsClaimAndAFinalState() {
        assertDoesNotThrow(() -> AgentReports.check(report()));
        assertEquals("body", refusedField(() -> AgentReports.check((JobReportDTO) null)));
        JobReportDTO noClaim = report();
        noClaim.claimId = " ";
        assertEquals("claimId", refusedField(() -> AgentReports.check(noClaim)));
        JobReportDTO noState = report();
        noState.state = null;
        assertEquals("state", refusedField(() -> AgentReports.check(noState)));
        for (JobState open : List.of(JobState.QUEUED, JobState.WAITING, JobState.RUNNING)) {
            JobReportDTO notEnded = report();
            notEnded.state = open;
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> AgentReports.check(notEnded));
            assertEquals("state", e.field());
            assertTrue(e.getMessage().contains(open.name()), e.getMessage());
        }
    }

    @Test
    void resultsAndFoundUpdatesAreNamedByTheirPlaceInTheList() {
        JobReportDTO r = report();
        UpdateResultDTO ok = new UpdateResultDTO();
        ok.updateId = "hello";
        ok.status = UpdateStatus.SUCCEEDED;
        UpdateResultDTO noStatus = new UpdateResultDTO();
        noStatus.updateId = "world";
        r.results = List.of(ok, noStatus);
        assertEquals("results[1].status", refusedField(() -> AgentReports.check(r)));

        JobReportDTO scan = report();
        UpdateDTO found = new UpdateDTO();
        found.id = "hello";
        found.version = "v".repeat(256);
        scan.found = List.of(found);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AgentReports.check(scan));
        assertEquals("found[0].version", e.field());
        assertTrue(e.getMessage().contains("255"), e.getMessage());

        JobReportDTO noId = report();
        noId.found = new ArrayList<>();
        noId.found.add(new UpdateDTO());
        assertEquals("found[0].id", refusedField(() -> AgentReports.check(noId)));
    }

    @Test
    void progressNeedsItsClaimAPercentInRangeAndLinesThatFit() {
        JobProgressDTO p = new JobProgressDTO();
        assertEquals("claimId", refusedField(() -> AgentReports.check(p)));
        p.claimId = "claim-1";
        p.percent = 101;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AgentReports.check(p));
        assertEquals("percent", e.field());
        assertEquals(101, e.value());
        p.percent = 100;
        p.log = new ArrayList<>(List.of("line", "x".repeat(AgentReports.MAX_LOG_LINE + 1)));
        assertEquals("log[1]", refusedField(() -> AgentReports.check(p)));
        p.log = List.of("line");
        assertDoesNotThrow(() -> AgentReports.check(p));
    }

    @Test
    void pathIdsMustFitTheStoresIdColumn() {
        assertDoesNotThrow(() -> AgentReports.id("deviceId", "d".repeat(64)));
        assertEquals("deviceId", refusedField(() -> AgentReports.id("deviceId", "d".repeat(65))));
        assertEquals("jobId", refusedField(() -> AgentReports.id("jobId", "")));
    }

    @Test
    void aReportNamesEachUpdateOnce() {
        JobReportDTO r = report();
        UpdateResultDTO a = new UpdateResultDTO();
        a.updateId = "hello";
        a.status = UpdateStatus.SUCCEEDED;
        UpdateResultDTO again = new UpdateResultDTO();
        again.updateId = "hello";
        again.status = UpdateStatus.FAILED;
        r.results = List.of(a, again);
        assertEquals("results[1].updateId", refusedField(() -> AgentReports.check(r)));
    }
}
