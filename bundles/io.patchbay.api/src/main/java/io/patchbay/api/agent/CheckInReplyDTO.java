package io.patchbay.api.agent;

import java.time.Instant;
import java.util.List;

import io.patchbay.api.dto.BlockRuleDTO;

/** The server's answer to a check-in: when to come back, what is due, which source bundles to run. */
public class CheckInReplyDTO {
    public String deviceId;
    public Instant serverTime;
    /** Seconds until the next check-in; the agent adds up to {@link #jitterSeconds} at random. */
    public int checkInSeconds;
    public int jitterSeconds;
    /** Jobs due for the device now: the agent claims them at once. */
    public int jobsDue;
    /** The source bundles the agent should run, and only those (desired state, for its platform). */
    public List<SourceBundleDTO> bundles;
    /** The block list in force: the agent enforces it on the device before a source installs anything. */
    public List<BlockRuleDTO> blockRules;
    /** Set when the server flags this device as sharing its identity with another machine. */
    public String identityConflict;
}
