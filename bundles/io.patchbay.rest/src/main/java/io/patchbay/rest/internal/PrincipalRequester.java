package io.patchbay.rest.internal;

import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.core.HttpHeaders;

import org.osgi.service.component.annotations.Component;

import io.patchbay.api.security.CallerDTO;

/** The requester is the caller that authentication accepted; a header naming someone else is ignored. */
@Component(service = Requester.class)
public class PrincipalRequester implements Requester {
    @Override
    public String name(HttpHeaders headers) {
        CallerDTO caller = Callers.current();
        if (caller == null) {
            // only reachable if a write path were exempted from authentication: refuse rather than guess
            throw new NotAuthorizedException("Bearer realm=\"patchbay\"");
        }
        return caller.name;
    }
}
