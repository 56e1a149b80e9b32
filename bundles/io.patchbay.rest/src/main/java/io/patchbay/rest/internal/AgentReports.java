package io.patchbay.rest.internal;

import java.util.List;
import java.util.Set;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/**
 * What the API accepts from an agent: a claim to name, states a job can end in, and texts that fit the store's
 * columns, so that a report the API accepts is also one the store can record. Whether the report fits the job (the
 * updates it names, the claim it holds) is the job engine's to decide.
 */
final class AgentReports {
    static final int MAX_CLAIM_ID = 255;
    static final int MAX_LOG_LINES = 1000;
    static final int MAX_LOG_LINE = 4000;
    static final int MAX_MESSAGE = 4000;
    static final int MAX_FOUND = 10_000;
    /** The states a report may end a job in: every final state. */
    static final Set<JobState> REPORTED = Set.of(JobState.SUCCEEDED, JobState.FAILED, JobState.INTERRUPTED,
            JobState.CANCELLED, JobState.TIMED_OUT);

    private AgentReports() {
    }

    /** A device or job id from the path: it must fit the store's id column. */
    static void id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, value, "is required");
        }
        JobRequests.text(field, value, JobRequests.MAX_ID);
    }

    static void check(JobProgressDTO p) {
        if (p == null) {
            throw new InvalidInputException("body", null, "a progress report with the claimId is required");
        }
        claim(p.claimId);
        if (p.percent != null && (p.percent < 0 || p.percent > 100)) {
            throw new InvalidInputException("percent", p.percent, "must be from 0 to 100");
        }
        JobRequests.text("message", p.message, MAX_MESSAGE);
        log(p.log);
    }

    static void check(JobReportDTO r) {
        if (r == null) {
            throw new InvalidInputException("body", null, "a report with the claimId and the state is required");
        }
        claim(r.claimId);
        if (r.state == null) {
            throw new InvalidInputException("state", null, "is required: one of " + REPORTED);
        }
        if (!REPORTED.contains(r.state)) {
            throw new InvalidInputException("state", r.state, "a report ends the job: must be one of " + REPORTED);
        }
        JobRequests.text("reason", r.reason, MAX_MESSAGE);
        JobRequests.text("sourceBundle", r.sourceBundle, 255);
        JobRequests.text("sourceBundleVersion", r.sourceBundleVersion, 255);
        found(r.found);
        results(r.results);
        log(r.log);
    }

    private static void claim(String claimId) {
        if (claimId == null || claimId.isBlank()) {
            throw new InvalidInputException("claimId", claimId, "is required: the claimId of the claim that holds "
                    + "the job");
        }
        JobRequests.text("claimId", claimId, MAX_CLAIM_ID);
    }

    private static void found(List<UpdateDTO> found) {
        if (found == null) {
            return;
        }
        if (found.size() > MAX_FOUND) {
            throw new InvalidInputException("found", found.size() + " updates", "may have at most " + MAX_FOUND);
        }
        for (int i = 0; i < found.size(); i++) {
            UpdateDTO u = found.get(i);
            if (u == null || u.id == null || u.id.isBlank()) {
                throw new InvalidInputException("found[" + i + "].id", u == null ? null : u.id, "is required");
            }
            JobRequests.update("found[" + i + "].", u);
        }
    }

    private static void results(List<UpdateResultDTO> results) {
        if (results == null) {
            return;
        }
        if (results.size() > JobRequests.MAX_UPDATES) {
            throw new InvalidInputException("results", results.size() + " results", "may have at most "
                    + JobRequests.MAX_UPDATES);
        }
        for (int i = 0; i < results.size(); i++) {
            UpdateResultDTO r = results.get(i);
            String at = "results[" + i + "].";
            if (r == null) {
                throw new InvalidInputException("results[" + i + "]", null, "is required");
            }
            if (r.updateId == null || r.updateId.isBlank()) {
                throw new InvalidInputException(at + "updateId", r.updateId, "is required");
            }
            if (r.status == null) {
                throw new InvalidInputException(at + "status", null, "is required");
            }
            JobRequests.text(at + "updateId", r.updateId, JobRequests.MAX_UPDATE_ID);
            JobRequests.text(at + "title", r.title, 500);
            JobRequests.text(at + "message", r.message, MAX_MESSAGE);
            JobRequests.text(at + "versionBefore", r.versionBefore, 255);
            JobRequests.text(at + "versionAfter", r.versionAfter, 255);
        }
        JobRequests.distinct("results", "updateId", results.stream().map(r -> r.updateId).toList());
    }

    private static void log(List<String> log) {
        if (log == null) {
            return;
        }
        if (log.size() > MAX_LOG_LINES) {
            throw new InvalidInputException("log", log.size() + " lines", "may have at most " + MAX_LOG_LINES
                    + " lines per report");
        }
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) == null) {
                throw new InvalidInputException("log[" + i + "]", null, "is required");
            }
            JobRequests.text("log[" + i + "]", log.get(i), MAX_LOG_LINE);
        }
    }
}
