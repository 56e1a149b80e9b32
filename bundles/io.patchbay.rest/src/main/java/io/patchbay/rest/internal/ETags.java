package io.patchbay.rest.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import io.patchbay.api.ConflictException;
import io.patchbay.api.InvalidInputException;

/** ETags and If-Match for optimistic locking: the ETag of an object is its version. */
final class ETags {
    private ETags() {
    }

    static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * What an If-Match accepts (RFC 9110 13.1.1): {@code *} for any current version, or a list of ETags this server
     * gave out. If-Match compares strongly, so a weak tag ({@code W/"3"}) is named but never matches. A change without
     * one is refused with 428.
     */
    record IfMatch(boolean any, Set<Long> versions, Set<Long> named) {
        /** The one version named, when exactly one is and no read of the current one is needed. */
        Long single() {
            return !any && versions.size() == 1 && named.size() == 1 ? versions.iterator().next() : null;
        }

        boolean accepts(long current) {
            return any || versions.contains(current);
        }

        /** The version the client named, for the message that it is not the current one. */
        long firstNamed() {
            return named.iterator().next();
        }

        /** Why this If-Match does not accept the current version: a weak tag of it, or another version. */
        RuntimeException refusal(String what, String id, long current) {
            if (named.contains(current)) {
                return new WebApplicationException("If-Match: W/\"" + current + "\" is a weak ETag, and If-Match "
                        + "never matches a weak one (RFC 9110 13.1.1); send the strong ETag \"" + current
                        + "\" of " + what + " '" + id + "'", Response.status(412).build());
            }
            return new ConflictException(what, id, firstNamed(), current);
        }
    }

    static IfMatch ifMatch(HttpHeaders headers) {
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new WebApplicationException("send If-Match with the ETag of the version you changed",
                    Response.status(428).build());
        }
        if (ifMatch.strip().equals("*")) {
            return new IfMatch(true, Set.of(), Set.of());
        }
        Set<Long> versions = new LinkedHashSet<>();
        Set<Long> named = new LinkedHashSet<>();
        for (String tag : ifMatch.split(",")) {
            boolean weak = tag.strip().startsWith("W/");
            String v = tag.strip().replaceFirst("^W/", "");
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (!v.matches("[0-9]{1,18}")) {
                throw new InvalidInputException("If-Match", Params.shown(ifMatch),
                        "is not an ETag this server gave out, nor *");
            }
            named.add(Long.parseLong(v));
            if (!weak) {
                versions.add(Long.parseLong(v));
            }
        }
        return new IfMatch(false, versions, named);
    }
}
