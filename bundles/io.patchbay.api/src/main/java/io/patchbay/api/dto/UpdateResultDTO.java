package io.patchbay.api.dto;

import java.time.Instant;

/** The outcome of installing or rolling back one update on one device. */
public class UpdateResultDTO {
    public String updateId;
    public String title;
    public UpdateStatus status;
    /** Why it failed, or what the source has to say about it. */
    public String message;
    public String versionBefore;
    public String versionAfter;
    public boolean rebootRequired;
    public Instant startedAt;
    public Instant endedAt;
}
