package io.patchbay.api.agent;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Enrollment tokens, and the enrollment of machines with them. Implemented by the store. */
@ProviderType
public interface Enrollment {
    /**
     * @throws io.patchbay.api.InvalidInputException naming the field and value that are refused
     * @throws io.patchbay.api.NotFoundException when the group does not exist
     */
    IssuedEnrollmentTokenDTO createToken(EnrollmentTokenRequestDTO request, String createdBy);

    /** Every token, revoked, expired and used-up ones too, oldest first. */
    List<EnrollmentTokenDTO> tokens();

    /** @throws io.patchbay.api.NotFoundException when there is no such token */
    EnrollmentTokenDTO revokeToken(String id, String revokedBy);

    /**
     * Enrolls a machine: a known hardware id keeps its device record (a new secret replaces the old ones), an unknown
     * one gets a new device in the token's group. A hardware id held by a device that is still active (checked in
     * within its interval and buffer) from another machine gets a new record, and both are flagged.
     *
     * @param from the caller's address, for the audit log
     * @throws EnrollmentRefusedException when the token is wrong, expired, revoked or used up
     * @throws io.patchbay.api.InvalidInputException naming the identity field that is missing or refused
     */
    EnrollmentDTO enroll(EnrollRequestDTO request, String from);

    /**
     * Clears a device's identity-conflict flag once an operator resolved it (gave the copy an identity of its own, or
     * deleted it).
     *
     * @return whether the device was flagged
     * @throws io.patchbay.api.NotFoundException when there is no such device
     */
    boolean clearIdentityConflict(String deviceId, String clearedBy);
}
