package io.patchbay.rest.internal;

import javax.ws.rs.core.HttpHeaders;

/**
 * Who is asking: the one place every write takes the name it is audited under, the authenticated caller
 * ({@link PrincipalRequester}). Names in request bodies ({@code requestedBy}, {@code createdBy}) and headers are never
 * used.
 */
public interface Requester {
    /**
     * @return the name of who makes the request
     */
    String name(HttpHeaders headers);
}
