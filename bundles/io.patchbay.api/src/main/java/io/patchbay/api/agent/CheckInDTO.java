package io.patchbay.api.agent;

import java.time.Instant;
import java.util.List;

/** An agent's check-in ({@code POST /api/v1/agent/devices/{deviceId}/check-in}, with the device secret). */
public class CheckInDTO {
    /**
     * Increases by one with every check-in of this agent installation (kept in its state folder). The server remembers
     * the last it saw: a machine that presents the device's secret with a sequence that another machine already used
     * is a copy of that machine (a clone of its disk), and is refused and reported instead of sharing the record.
     */
    public long sequence;
    public String agentVersion;
    /** When the machine last booted; a new boot time clears the device's pending reboot. */
    public Instant bootTime;
    /** The machine's identity and inventory as read now. */
    public AgentIdentityDTO identity;
    /** The source bundles the agent runs now. */
    public List<SourceBundleDTO> bundles;
    /** Bundles the agent refused or could not start since its last check-in. */
    public List<BundleProblemDTO> bundleProblems;
    /** The job the agent is running now, if any. */
    public String runningJobId;
}
