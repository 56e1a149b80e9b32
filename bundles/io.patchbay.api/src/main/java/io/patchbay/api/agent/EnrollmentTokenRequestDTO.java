package io.patchbay.api.agent;

import java.time.Instant;

/** What an operator asks for when creating an enrollment token ({@code POST /api/v1/enrollment-tokens}). */
public class EnrollmentTokenRequestDTO {
    /** A name for people, e.g. {@code berlin-office-laptops}. */
    public String name;
    /** The group devices that enroll with the token join; null for none. */
    public String groupId;
    /** After this the token enrolls nothing; required. */
    public Instant expiresAt;
    /** How many enrollments the token allows (a re-enrollment of a known machine counts too); at least 1. */
    public int maxUses;
}
