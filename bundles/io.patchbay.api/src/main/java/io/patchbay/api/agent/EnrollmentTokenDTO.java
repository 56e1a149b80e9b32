package io.patchbay.api.agent;

import java.time.Instant;

/** An enrollment token as stored: only the SHA-256 of its secret is kept, so the secret is never shown again. */
public class EnrollmentTokenDTO {
    public String id;
    public String name;
    public String groupId;
    public Instant createdAt;
    public String createdBy;
    public Instant expiresAt;
    public int maxUses;
    /** Enrollments made with it so far. */
    public int uses;
    /** Set when an operator revoked it. */
    public Instant revokedAt;
    public String revokedBy;
    /** Set when last used. */
    public Instant lastUsedAt;
}
