package io.patchbay.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

/** ETags and If-Match for optimistic locking: the ETag of an object is its version. */
final class Versions {
    private Versions() {
    }

    static EntityTag tag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an If-Match names; a change without one is refused with 428. */
    static long expected(HttpHeaders headers) {
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new WebApplicationException("send If-Match with the ETag of the version you changed",
                    Response.status(428).build());
        }
        String v = ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new io.patchbay.api.InvalidInputException("If-Match", ifMatch, "is not an ETag this server gave out");
        }
    }
}
