package io.patchbay.api.agent;

/** An agent's enrollment ({@code POST /api/v1/agent/enroll}, no other credential needed). */
public class EnrollRequestDTO {
    /** The enrollment token's secret. */
    public String token;
    public AgentIdentityDTO identity;
    /** The agent's version, e.g. {@code 0.1.0}. */
    public String agentVersion;
}
