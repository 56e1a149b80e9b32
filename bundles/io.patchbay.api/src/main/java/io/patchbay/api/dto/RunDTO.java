package io.patchbay.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One execution of a policy, or of one update, on a set of devices; its jobs do the work. */
public class RunDTO {
    public String id;
    public String name;
    /** The policy run, or null for a run of one update. */
    public String policyId;
    /** For a run of one update: its source and id. */
    public String sourceId;
    public String updateId;
    public List<String> deviceIds;
    /** A policy run: the sources to scan with; empty means every source that serves each device's platform. */
    public List<String> sourceIds;
    /** Minutes the run may take; jobs not done by then end TIMED_OUT. */
    public int durationMinutes = 120;
    /** Further options; refused unless the server knows them (it knows none yet). */
    public Map<String, String> options;
    /** Set by the server on start: the sources left out of a policy run and why, e.g. dnf on a Debian device. */
    public List<String> skipped;
    public String requestedBy;
    public Instant createdAt;
    public Instant deadline;
    /**
     * Derived from the jobs: {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code PARTIAL}, or
     * {@code INTERRUPTED} when jobs of the run were lost in a stop of the server.
     */
    public String state;
    /** Why the run is {@code INTERRUPTED} or {@code FAILED} when its jobs alone do not say. */
    public String reason;
    /** Jobs per state. */
    public Map<String, Integer> jobStates;
}
