package io.patchbay.rest.internal;

import javax.ws.rs.core.HttpHeaders;

import io.patchbay.api.InvalidInputException;

/** Who makes a change, as {@value #HEADER} names them until authentication exists; kept in the audit log. */
final class Actor {
    static final String HEADER = "X-Patchbay-User";
    /** The audit log's column holds this many characters. */
    static final int MAX_LENGTH = 255;

    private Actor() {
    }

    static String of(HttpHeaders headers) {
        String a = headers.getHeaderString(HEADER);
        if (a == null || a.isBlank()) {
            return "api";
        }
        String actor = a.strip();
        if (actor.length() > MAX_LENGTH) {
            throw new InvalidInputException(HEADER, Params.shown(actor), "may have at most " + MAX_LENGTH
                    + " characters");
        }
        if (actor.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(HEADER, Params.shown(actor), "may not hold control characters");
        }
        return actor;
    }
}
