package io.patchbay.rest.internal;

import javax.ws.rs.core.HttpHeaders;

/**
 * Who is asking: the one place every write takes the name it is audited under. Until authentication exists it is the
 * {@code X-Patchbay-User} header ({@link HeaderRequester}); a service with a higher ranking (the authenticated
 * principal) replaces it, also while the server runs: every resource takes the highest-ranked one. Names in request
 * bodies ({@code requestedBy}, {@code createdBy}) are never used.
 */
public interface Requester {
    /**
     * @return the name of who makes the request
     * @throws io.patchbay.api.InvalidInputException when the request names its requester in a way that is refused
     */
    String name(HttpHeaders headers);
}
