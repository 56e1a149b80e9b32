package io.patchbay.core.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.TargetSettingsDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.queue.JobEndDTO;
import io.patchbay.api.queue.JobQueue;
import io.patchbay.api.source.TargetSettings;

/**
 * The remote executor: a device's agent claims its device's due jobs, reports progress (which renews the claim's
 * lease and carries back a stop request) and reports the outcome, which is checked here before the queue records it:
 * results only for requested updates, a final state, bounded lengths, and the block list again.
 */
final class RemoteExecutor {
    static final int MAX_LOG_LINES = 1_000;
    static final int MAX_TEXT = 4_000;
    static final int MAX_FOUND = 10_000;

    private final Clock clock;
    private final JobRunner.Settings settings;
    private final Supplier<JobQueue> queue;
    private final JobRunner.Environment env;
    private final BlockListEnforcement enforcement;
    private final JobEvents events;
    private final SourceRegistry registry;
    private final AgentWakeups wakeups;

    RemoteExecutor(Clock clock, JobRunner.Settings settings, Supplier<JobQueue> queue, JobRunner.Environment env,
            BlockListEnforcement enforcement, JobEvents events, SourceRegistry registry, AgentWakeups wakeups) {
        this.wakeups = wakeups;
        this.clock = clock;
        this.settings = settings;
        this.queue = queue;
        this.env = env;
        this.enforcement = enforcement;
        this.events = events;
        this.registry = registry;
    }

    static String owner(String deviceId) {
        return "agent:" + deviceId;
    }

    private JobQueue queue() {
        JobQueue q = queue.get();
        if (q == null) {
            throw new IllegalStateException("the store is not available: jobs cannot be claimed now");
        }
        return q;
    }

    private DeviceDTO device(String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new InvalidInputException("deviceId", deviceId, "is required");
        }
        return env.device(deviceId).orElseThrow(() -> new NotFoundException("device", deviceId));
    }

    Optional<JobClaimDTO> claim(String deviceId) {
        return claim(deviceId, null);
    }

    Optional<JobClaimDTO> claim(String deviceId, java.util.Set<String> sourceIds) {
        DeviceDTO device = device(deviceId);
        Instant now = clock.instant();
        Optional<JobClaimDTO> claim = queue().claimNext(deviceId, sourceIds, owner(deviceId), now,
                now.plus(settings.lease()));
        if (claim.isEmpty()) {
            return claim;
        }
        JobClaimDTO c = claim.get();
        try {
            c.settings = settings(env.settings(device, c.job.runId));
        } catch (RuntimeException e) {
            // never hand out a job with settings that could not be read (a WSUS group must not reach Microsoft Update)
            queue().release(c.job.id, c.claimId, JobState.WAITING, "the settings of device '" + deviceId
                    + "' cannot be read: " + e.getMessage(), clock.instant());
            return Optional.empty();
        }
        // the agent is handed only what the block list allows; the rest is recorded BLOCKED with its report
        if (c.job.kind == JobKind.INSTALL && c.job.requested != null) {
            c.job.requested = enforcement.before(c.job.kind, c.job.requested, c.job.sourceId,
                    sourceType(c.job)).allowed();
        }
        return claim;
    }

    /** Gives a claimed job back without an attempt counted; a release under a claim no longer held changes nothing. */
    void release(String deviceId, String jobId, io.patchbay.api.agent.JobReleaseDTO release) {
        job(deviceId, jobId);
        if (release == null) {
            throw new InvalidInputException("body", null, "release is required");
        }
        requiredClaim(release.claimId);
        JobState state;
        if ("QUEUED".equals(release.state)) {
            state = JobState.QUEUED;
        } else if ("WAITING".equals(release.state)) {
            state = JobState.WAITING;
        } else {
            throw new InvalidInputException("state", release.state, "must be QUEUED or WAITING");
        }
        text("reason", release.reason, 2_000);
        queue().release(jobId, release.claimId, state,
                release.reason == null || release.reason.isBlank() ? "given back by the device's agent" : release.reason,
                clock.instant());
        wakeups.wake(deviceId);
    }

    /** Claims now or, while nothing is due, waits up to {@code wait} to be woken by a job queued for the device. */
    Optional<JobClaimDTO> claim(String deviceId, java.util.Set<String> sourceIds, java.time.Duration wait)
            throws InterruptedException {
        device(deviceId);
        if (wait == null || wait.isNegative() || wait.isZero()) {
            return claim(deviceId, sourceIds);
        }
        return wakeups.claim(deviceId, wait, () -> claim(deviceId, sourceIds));
    }

    /** The target's settings as the agent receives them: what the local executor gives its sources. */
    static TargetSettingsDTO settings(TargetSettings s) {
        TargetSettingsDTO dto = new TargetSettingsDTO();
        dto.windowsUpdateSource = s.windowsUpdateSource().value();
        dto.wsusUrl = s.wsusUrl().map(URI::toString).orElse(null);
        dto.reboot = s.reboot().name();
        dto.groupId = s.groupId().orElse(null);
        dto.policyId = s.policyId().orElse(null);
        return dto;
    }

    /**
     * The settings an agent's claim carried, back as the local executor gives them to its sources.
     *
     * @throws IllegalArgumentException when they are not valid
     */
    static TargetSettings settings(TargetSettingsDTO dto) {
        io.patchbay.api.dto.GroupDTO group = new io.patchbay.api.dto.GroupDTO();
        group.id = dto.groupId;
        group.windowsUpdate = new io.patchbay.api.dto.WindowsUpdateDTO();
        if (dto.windowsUpdateSource != null) {
            group.windowsUpdate.source = dto.windowsUpdateSource;
        }
        group.windowsUpdate.wsusUrl = dto.wsusUrl;
        io.patchbay.api.dto.PolicyDTO policy = null;
        if (dto.policyId != null || dto.reboot != null) {
            policy = new io.patchbay.api.dto.PolicyDTO();
            policy.id = dto.policyId;
            policy.autoReboot = io.patchbay.api.source.RebootBehaviour.RESTART_WHEN_NEEDED.name().equals(dto.reboot);
        }
        return TargetSettings.of(group, policy);
    }

    private String sourceType(JobDTO job) {
        return job.sourceType != null ? job.sourceType
                : registry.active(job.sourceId).map(SourceEntry::type).orElse(null);
    }

    /** The job, which must be the device's. */
    private JobDTO job(String deviceId, String jobId) {
        device(deviceId);
        return queue().get(jobId).filter(j -> j.deviceId.equals(deviceId))
                .orElseThrow(() -> new NotFoundException("job of device '" + deviceId + "'", jobId));
    }

    JobClaimDTO progress(String deviceId, String jobId, JobProgressDTO progress) {
        job(deviceId, jobId);
        if (progress == null) {
            throw new InvalidInputException("body", null, "progress is required");
        }
        requiredClaim(progress.claimId);
        if (progress.percent != null && (progress.percent < 0 || progress.percent > 100)) {
            throw new InvalidInputException("percent", progress.percent, "must be 0 to 100");
        }
        text("message", progress.message, 2_000);
        List<String> log = lines("log", progress.log);
        Instant now = clock.instant();
        return queue().progress(jobId, progress.claimId, progress.percent, progress.message, log, now,
                now.plus(settings.lease()));
    }

    JobDTO report(String deviceId, String jobId, JobReportDTO report) {
        JobDTO job = job(deviceId, jobId);
        if (report == null) {
            throw new InvalidInputException("body", null, "a report is required");
        }
        requiredClaim(report.claimId);
        if (report.state == null || !report.state.isFinal()) {
            throw new InvalidInputException("state", report.state,
                    "must be one of SUCCEEDED, FAILED, INTERRUPTED, CANCELLED, TIMED_OUT");
        }
        text("reason", report.reason, 2_000);
        text("sourceBundle", report.sourceBundle, 255);
        text("sourceBundleVersion", report.sourceBundleVersion, 64);
        List<String> log = lines("log", report.log);
        String type = sourceType(job);
        JobEndDTO end = new JobEndDTO();
        end.jobId = jobId;
        end.claimId = report.claimId;
        end.log = new ArrayList<>(log);
        end.sourceType = type;
        end.sourceBundle = report.sourceBundle;
        end.sourceBundleVersion = report.sourceBundleVersion;
        end.maxAttempts = settings.maxAttempts();
        end.endedAt = clock.instant();
        end.state = report.state;
        end.reason = report.reason;
        // the agent stopped the job for a reason of its own side (it is shutting down): tried again
        end.retry = report.state == JobState.INTERRUPTED;
        if (job.kind == JobKind.SCAN) {
            if (report.results != null && !report.results.isEmpty()) {
                throw new InvalidInputException("results", report.results.size() + " results",
                        "a SCAN reports what it found, not results");
            }
            if (report.found != null) {
                if (report.found.size() > MAX_FOUND) {
                    throw new InvalidInputException("found", report.found.size() + " updates",
                            "at most " + MAX_FOUND + " updates");
                }
                for (int i = 0; i < report.found.size(); i++) {
                    UpdateDTO u = report.found.get(i);
                    if (u == null || u.id == null || u.id.isBlank()) {
                        throw new InvalidInputException("found[" + i + "].id", u == null ? null : u.id, "is required");
                    }
                    text("found[" + i + "].id", u.id, 255);
                    text("found[" + i + "].title", u.title, 500);
                    text("found[" + i + "].kb", u.kb, 64);
                }
                if (report.state == JobState.SUCCEEDED) {
                    end.found = enforcement.found(report.found, job.sourceId, type);
                }
            }
        } else {
            if (report.found != null && !report.found.isEmpty()) {
                throw new InvalidInputException("found", report.found.size() + " updates",
                        "an " + job.kind + " reports results, not what it found");
            }
            recordResults(job, report, end, type);
        }
        long ticket = events.reserve();
        List<JobDTO> told = List.of();
        try {
            JobDTO ended = queue().end(end);
            // a repeated report returns the job as first recorded: listeners heard of it then
            if (!job.state.isFinal() && ended.endedAt != null && end.endedAt.truncatedTo(ChronoUnit.MILLIS)
                    .equals(ended.endedAt.truncatedTo(ChronoUnit.MILLIS))) {
                told = List.of(ended);
            }
            return ended;
        } finally {
            events.deliver(ticket, told);
        }
    }

    /** One result per requested update; the block list decides again on what the agent says it installed. */
    private void recordResults(JobDTO job, JobReportDTO report, JobEndDTO end, String type) {
        Set<String> requested = new HashSet<>();
        job.requested.forEach(u -> requested.add(u.id));
        Map<String, UpdateResultDTO> returned = new LinkedHashMap<>();
        if (report.results != null) {
            for (int i = 0; i < report.results.size(); i++) {
                UpdateResultDTO r = report.results.get(i);
                if (r == null || r.updateId == null || !requested.contains(r.updateId)) {
                    throw new InvalidInputException("results[" + i + "].updateId", r == null ? null : r.updateId,
                            "is not an update this job asked for");
                }
                if (r.status == null) {
                    throw new InvalidInputException("results[" + i + "].status", null, "is required");
                }
                text("results[" + i + "].message", r.message, MAX_TEXT);
                text("results[" + i + "].versionBefore", r.versionBefore, 255);
                text("results[" + i + "].versionAfter", r.versionAfter, 255);
                if (returned.putIfAbsent(r.updateId, UpdateResults.copy(r)) != null) {
                    throw new InvalidInputException("results[" + i + "].updateId", r.updateId, "is reported twice");
                }
            }
        }
        BlockListEnforcement.Split split = enforcement.before(job.kind, job.requested, job.sourceId, type);
        boolean stopped = report.state != JobState.SUCCEEDED && report.state != JobState.FAILED;
        if (!stopped) {
            // a job that ran to its end says what became of each update it was asked to install
            List<String> missing = split.allowed().stream().map(u -> u.id).filter(id -> !returned.containsKey(id))
                    .distinct().toList();
            if (!missing.isEmpty()) {
                throw new InvalidInputException("results", missing, "a " + report.state + " report has a result "
                        + "for each requested update; missing: " + missing);
            }
        }
        List<UpdateResultDTO> results = UpdateResults.merge(split.blocked(), split.allowed(), returned,
                stopped ? UpdateStatus.INTERRUPTED : UpdateStatus.NOT_ATTEMPTED,
                stopped ? report.reason : "the agent reported no result for it");
        String violation = enforcement.violation(job.kind, returned, split.allowed(), job.sourceId, type);
        long bad = UpdateResults.bad(results);
        if (violation != null) {
            end.log.add(violation);
            end.state = JobState.FAILED;
            end.reason = violation;
            end.retry = false;
        } else if (report.state == JobState.SUCCEEDED && bad > 0) {
            end.state = JobState.FAILED;
            end.reason = bad + " of " + results.size() + " update(s) did not succeed";
        }
        end.results = results;
    }

    private static void requiredClaim(String claimId) {
        if (claimId == null || claimId.isBlank()) {
            throw new InvalidInputException("claimId", claimId, "is required");
        }
        text("claimId", claimId, 64);
    }

    private static void text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, value.length() + " characters", "may have at most " + max);
        }
    }

    private static List<String> lines(String field, List<String> log) {
        if (log == null) {
            return List.of();
        }
        if (log.size() > MAX_LOG_LINES) {
            throw new InvalidInputException(field, log.size() + " lines", "at most " + MAX_LOG_LINES
                    + " lines at once");
        }
        for (int i = 0; i < log.size(); i++) {
            text(field + "[" + i + "]", log.get(i), MAX_TEXT);
        }
        return log.stream().map(l -> l == null ? "" : l).toList();
    }
}
