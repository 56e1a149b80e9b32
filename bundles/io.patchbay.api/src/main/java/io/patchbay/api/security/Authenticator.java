package io.patchbay.api.security;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns the credentials of a request into a caller. The API asks every registered authenticator, highest service
 * ranking first; the first that accepts decides. Patchbay's own accepts its API tokens and device secrets; another
 * (an OIDC provider validating bearer JWTs) can be added as a service without changing any resource.
 */
@ConsumerType
public interface Authenticator {
    /**
     * @param authorization the request's {@code Authorization} header, never null
     * @return the caller, or empty when this authenticator does not accept these credentials
     */
    Optional<CallerDTO> authenticate(String authorization);
}
