package io.patchbay.rest.internal;

import javax.ws.rs.core.HttpHeaders;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

import io.patchbay.api.InvalidInputException;

/** The requester as the {@code X-Patchbay-User} header names it, or {@code api} without one; no authentication yet. */
@Component(service = Requester.class, property = Constants.SERVICE_RANKING + ":Integer=-100")
public class HeaderRequester implements Requester {
    static final String HEADER = "X-Patchbay-User";
    static final String ANONYMOUS = "api";
    /** The audit log keeps at most this many characters of a name. */
    static final int MAX_LENGTH = 255;

    @Override
    public String name(HttpHeaders headers) {
        String name = headers.getHeaderString(HEADER);
        if (name == null || name.isBlank()) {
            return ANONYMOUS;
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException(HEADER, name.substring(0, 40) + "…", "may have at most " + MAX_LENGTH
                    + " characters");
        }
        String bad = ControlCharacters.find(name, false);
        if (bad != null) {
            throw new InvalidInputException(HEADER, ControlCharacters.escaped(name), bad);
        }
        return name.strip();
    }
}
