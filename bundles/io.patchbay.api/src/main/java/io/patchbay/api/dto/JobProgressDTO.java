package io.patchbay.api.dto;

import java.util.List;

/** Progress of a claimed job, sent by its executor; also renews the claim. */
public class JobProgressDTO {
    public String claimId;
    /** 0 to 100, or null to leave it as it is. */
    public Integer percent;
    public String message;
    /** Log lines since the last report, oldest first. */
    public List<String> log;
}
