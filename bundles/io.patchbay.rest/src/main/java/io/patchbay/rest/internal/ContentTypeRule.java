package io.patchbay.rest.internal;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import javax.ws.rs.Consumes;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * The rule that keeps web pages of other sites from changing anything (CSRF): a POST, PUT, PATCH or DELETE must carry
 * exactly the Content-Type its endpoint takes. An endpoint that takes a body needs its type (JSON, or a jar for a
 * bundle); one that takes none (drain, cancel, DELETE) gets no body, and a Content-Type only if it is
 * application/json. A request from a web page (it has an Origin header) to such an endpoint must send
 * application/json, which a browser sends cross-site only after a CORS preflight this server never grants. Anything
 * else is 415 before the resource runs.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
public class ContentTypeRule implements ContainerRequestFilter {
    static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Context
    ResourceInfo resource;

    /** Thrown when a request breaks the rule; answered with 415. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            check(request);
        } catch (Refused e) {
            discard(request);
            throw e;
        }
    }

    private void check(ContainerRequestContext request) {
        if (!CHANGES.contains(request.getMethod()) || resource == null || resource.getResourceMethod() == null) {
            return;
        }
        List<MediaType> takes = consumes(resource.getResourceMethod(), resource.getResourceClass());
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        MediaType sent = type == null || type.isBlank() ? null : parse(type);
        if (!takes.isEmpty()) {
            if (sent == null || takes.stream().noneMatch(t -> same(t, sent))) {
                throw new Refused("Send the body of " + request.getMethod() + " here as " + names(takes)
                        + (sent == null ? "; the request has no Content-Type" : ", not " + type));
            }
            return;
        }
        boolean hasBody = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (hasBody) {
            throw new Refused(request.getMethod() + " here takes no body; send none");
        }
        if (sent != null && !same(MediaType.APPLICATION_JSON_TYPE, sent)) {
            throw new Refused(request.getMethod() + " here takes no body: send Content-Type application/json or none, "
                    + "not " + type);
        }
        if (sent == null && request.getHeaderString("Origin") != null) {
            throw new Refused("A request from a web page (with an Origin header) must send Content-Type "
                    + "application/json to " + request.getMethod() + " here");
        }
    }

    /** Reads a refused body to its end (within the body limit), so the client's connection stays usable. */
    private static void discard(ContainerRequestContext request) {
        try {
            request.getEntityStream().readNBytes(BodyLimit.MAX_BYTES);
        } catch (java.io.IOException | RuntimeException e) {
            // gone already
        }
    }

    /** A body names its one type: a wildcard such as {@code *}{@code /*} says nothing about what it holds. */
    static boolean same(MediaType takes, MediaType sent) {
        return !sent.isWildcardType() && !sent.isWildcardSubtype() && takes.getType().equalsIgnoreCase(sent.getType())
                && takes.getSubtype().equalsIgnoreCase(sent.getSubtype());
    }

    private static MediaType parse(String type) {
        try {
            return MediaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new Refused("Content-Type '" + Params.shown(type) + "' is not a media type");
        }
    }

    private static List<MediaType> consumes(Method method, Class<?> type) {
        Consumes c = method.getAnnotation(Consumes.class);
        if (c == null && type != null) {
            c = type.getAnnotation(Consumes.class);
        }
        return c == null ? List.of() : Arrays.stream(c.value()).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).map(MediaType::valueOf).toList();
    }

    private static String names(List<MediaType> types) {
        return String.join(" or ", types.stream().map(t -> t.getType() + "/" + t.getSubtype()).toList());
    }
}
