package io.patchbay.api.security;

import java.time.Instant;

/** A stored credential as it may be shown: never its secret, which only the issuer saw once. */
public class CredentialDTO {
    public String id;
    public String name;
    public Role role;
    /** The device a device secret belongs to; null for an API token. */
    public String deviceId;
    public Instant createdAt;
    public String createdBy;
    /** When it stops working; null for never. */
    public Instant expiresAt;
    /** The last time it authenticated a request (kept to the minute). */
    public Instant lastUsedAt;
    /** When it was revoked; null while it is not. */
    public Instant revokedAt;
}
