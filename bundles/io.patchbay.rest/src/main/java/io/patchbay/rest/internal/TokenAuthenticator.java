package io.patchbay.rest.internal;

import java.util.Optional;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.security.Authenticator;
import io.patchbay.api.security.CallerDTO;
import io.patchbay.api.security.Credentials;

/** Accepts Patchbay's own API tokens and device secrets as {@code Authorization: Bearer <secret>}. */
@Component(service = Authenticator.class, property = Constants.SERVICE_RANKING + ":Integer=0")
public class TokenAuthenticator implements Authenticator {
    private static final String BEARER = "bearer ";
    private final Credentials credentials;

    @Activate
    public TokenAuthenticator(@Reference Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<CallerDTO> authenticate(String authorization) {
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return credentials.authenticate(authorization.substring(BEARER.length()).strip());
    }
}
