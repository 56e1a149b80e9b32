package io.patchbay.api.dto;

import java.time.Instant;

/** One line of a job's log. */
public class JobLogDTO {
    public Instant at;
    public String message;
}
