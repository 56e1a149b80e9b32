package io.patchbay.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobLogDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/** A job's state inside the job runner; every field is guarded by the runner's lock. */
final class Job {
    static final int MAX_LOG_LINES = 5_000;

    final String id;
    final JobKind kind;
    final String deviceId;
    final String sourceId;
    final List<UpdateDTO> requested;
    final Instant createdAt;
    final Instant deadline;
    final int attempt;
    final String retryOf;
    final String requestedBy;
    final String runId;

    JobState state = JobState.QUEUED;
    String reason;
    String sourceType;
    String sourceBundle;
    String sourceBundleVersion;
    long sourceServiceId = -1;
    int progress;
    String progressMessage;
    List<UpdateDTO> found;
    List<UpdateResultDTO> results;
    final List<JobLogDTO> log = new ArrayList<>();
    int droppedLogLines;
    Instant startedAt;
    Instant endedAt;

    /** Set while the job runs on a worker. */
    Thread worker;
    JobContextImpl context;
    /** True from the moment a worker took the job until it is back in the queue or has ended. */
    boolean claimed;
    /** Ended while its source still ran, which ignored the stop request and the interrupt. */
    boolean abandoned;
    /** Set when the job starts: the updates handed to the source, and the results of the blocked ones. */
    List<UpdateDTO> allowed;
    List<UpdateResultDTO> blockedResults;

    Job(String id, JobKind kind, String deviceId, String sourceId, List<UpdateDTO> requested, Instant createdAt,
            Instant deadline, int attempt, String retryOf, String requestedBy, String runId) {
        this.id = id;
        this.kind = kind;
        this.deviceId = deviceId;
        this.sourceId = sourceId;
        this.requested = requested;
        this.createdAt = createdAt;
        this.deadline = deadline;
        this.attempt = attempt;
        this.retryOf = retryOf;
        this.requestedBy = requestedBy;
        this.runId = runId;
    }

    void addLog(Instant at, String message) {
        if (log.size() >= MAX_LOG_LINES) {
            droppedLogLines++;
            return;
        }
        JobLogDTO line = new JobLogDTO();
        line.at = at;
        line.message = message;
        log.add(line);
    }

    JobDTO toDTO() {
        JobDTO dto = new JobDTO();
        dto.id = id;
        dto.kind = kind;
        dto.deviceId = deviceId;
        dto.sourceId = sourceId;
        dto.sourceType = sourceType;
        dto.sourceBundle = sourceBundle;
        dto.sourceBundleVersion = sourceBundleVersion;
        dto.state = state;
        dto.reason = reason;
        dto.progress = progress;
        dto.progressMessage = progressMessage;
        dto.requested = requested == null ? null : List.copyOf(requested);
        dto.found = found == null ? null : List.copyOf(found);
        dto.results = results == null ? null : List.copyOf(results);
        List<JobLogDTO> lines = new ArrayList<>(log);
        if (droppedLogLines > 0) {
            JobLogDTO more = new JobLogDTO();
            more.at = endedAt;
            more.message = droppedLogLines + " more lines were not kept";
            lines.add(more);
        }
        dto.log = lines;
        dto.attempt = attempt;
        dto.retryOf = retryOf;
        dto.requestedBy = requestedBy;
        dto.runId = runId;
        dto.createdAt = createdAt;
        dto.startedAt = startedAt;
        dto.endedAt = endedAt;
        dto.deadline = deadline;
        return dto;
    }
}
