package io.patchbay.api.dto;

import java.time.Instant;

/** One update's outcome on one device in one job, for queries by run, KB, device and title. */
public class UpdateResultRowDTO {
    public String jobId;
    public String runId;
    public String runName;
    public String deviceId;
    public String sourceId;
    public String updateId;
    public String kb;
    public String title;
    public UpdateStatus status;
    public String message;
    public String versionBefore;
    public String versionAfter;
    public Instant endedAt;
}
