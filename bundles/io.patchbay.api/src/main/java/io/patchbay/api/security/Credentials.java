package io.patchbay.api.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * API tokens and device secrets. Secrets are 256-bit random values, stored only as their SHA-256; the issuer sees a
 * secret once, in what an issue method returns.
 */
@ProviderType
public interface Credentials {
    /**
     * Issues an API token for a person or program.
     *
     * @param expiresAt null for a token that does not expire
     * @throws io.patchbay.api.InvalidInputException naming the field when the name, role or expiry is refused
     */
    IssuedCredentialDTO issueToken(String name, Role role, Instant expiresAt, String issuedBy);

    /** Every API token, revoked and expired ones too, oldest first. */
    List<CredentialDTO> tokens();

    /**
     * Revokes an API token: it authenticates nothing from now on.
     *
     * @throws io.patchbay.api.NotFoundException when there is no such token
     */
    CredentialDTO revokeToken(String id, String revokedBy);

    /**
     * Issues a new secret for a device's agent and revokes the ones it had (rotation).
     *
     * @throws io.patchbay.api.NotFoundException when there is no such device
     */
    IssuedCredentialDTO issueDeviceSecret(String deviceId, String issuedBy);

    /** The device's secrets, revoked ones too, oldest first. */
    List<CredentialDTO> deviceSecrets(String deviceId);

    /**
     * Revokes every secret of a device.
     *
     * @return how many were in force
     */
    int revokeDeviceSecrets(String deviceId, String revokedBy);

    /**
     * The caller a secret stands for, when it is a credential in force (not revoked, not expired, and for a device
     * secret, of a device that still exists); records its use.
     */
    Optional<CallerDTO> authenticate(String secret);

    /**
     * Issues the first admin token, once in the life of the store: empty when one was issued before (by this or
     * another server on the same database).
     */
    Optional<IssuedCredentialDTO> issueFirstAdminToken();
}
