package io.patchbay.rest.internal;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.patchbay.api.ClaimLostException;
import io.patchbay.api.agent.EnrollmentRefusedException;
import io.patchbay.api.agent.IdentityConflictException;
import io.patchbay.api.ConflictException;
import io.patchbay.api.DeviceInventory;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.LimitExceededException;
import io.patchbay.api.NotFoundException;

/**
 * Turns every error into an {@code application/problem+json} answer. Clients get a status and a readable detail,
 * never a stack trace; a server fault gets an id that is also in the server log.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsApplicationSelect(PatchbayApplication.SELECT_WITH_DEFAULT)
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    /** Resources under these paths need the store, and are missing while it is. */
    static final Set<String> STORE_PATHS = Set.of("devices", "groups", "policies", "runs", "updates", "results",
            "reports", "audit", "tokens");

    @Context
    UriInfo uri;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceInventory store;

    @Override
    public Response toResponse(Throwable e) {
        if (clientGone(e)) {
            LOG.debug("Client left before the answer to {}: {}", path(), String.valueOf(e));
            return Response.status(400).build();
        }
        JsonProcessingException json = find(e, JsonProcessingException.class);
        if (json != null) {
            return problem(400, "Malformed request body", describe(json), field(json));
        }
        EnrollmentRefusedException refusedToken = find(e, EnrollmentRefusedException.class);
        if (refusedToken != null) {
            return problem(401, "Unauthorized", refusedToken.getMessage(), "token");
        }
        IdentityConflictException identity = find(e, IdentityConflictException.class);
        if (identity != null) {
            return problem(409, "Conflict", identity.getMessage(), null);
        }
        InvalidInputException invalid = find(e, InvalidInputException.class);
        if (invalid != null) {
            return problem(400, "Invalid input", invalid.getMessage(), invalid.field());
        }
        BodyLimit.TooLarge tooLarge = find(e, BodyLimit.TooLarge.class);
        if (tooLarge != null) {
            return problem(413, "Payload Too Large", tooLarge.getMessage(), null);
        }
        ConflictException conflict = find(e, ConflictException.class);
        if (conflict != null) {
            return problem(412, "Precondition Failed", conflict.getMessage(), null);
        }
        ClaimLostException claimLost = find(e, ClaimLostException.class);
        if (claimLost != null) {
            return problem(409, "Conflict", claimLost.getMessage(), "claimId");
        }
        InUseException inUse = find(e, InUseException.class);
        if (inUse != null) {
            return problem(409, "Conflict", inUse.getMessage(), null);
        }
        LimitExceededException limit = find(e, LimitExceededException.class);
        if (limit != null) {
            return problem(429, "Too Many Requests", limit.getMessage(), null);
        }
        ContentTypeRule.Refused refused = find(e, ContentTypeRule.Refused.class);
        if (refused != null) {
            return problem(415, "Unsupported Media Type", refused.getMessage(), "Content-Type");
        }
        StoreUnavailable unavailable = find(e, StoreUnavailable.class);
        if (unavailable != null) {
            return storeUnavailable();
        }
        NotFoundException missing = find(e, NotFoundException.class);
        if (missing != null) {
            return problem(404, "Not found", missing.getMessage(), null);
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            Response.Status known = Response.Status.fromStatusCode(status);
            String title = known == null ? "HTTP " + status : known.getReasonPhrase();
            String detail = switch (status) {
            case 404 -> "There is no resource at " + path();
            case 405 -> "The method is not allowed on " + path() + "; allowed: "
                    + web.getResponse().getAllowedMethods().stream().sorted().collect(Collectors.joining(", "));
            case 406 -> "This resource answers only in JSON (application/json)";
            case 415 -> "Send the body as " + (path().endsWith("/bundle") ? SourcesResource.JAR_TYPES
                    : "application/json");
            case 428 -> web.getMessage();
            default -> web.getMessage();
            };
            if (status >= 500) {
                return internal(e);
            }
            if (status == 404 && store == null && underStorePath()) {
                return storeUnavailable();
            }
            Response response = problem(status, title, detail, null);
            if (status == 405) {
                return Response.fromResponse(response).allow(web.getResponse().getAllowedMethods()).build();
            }
            return response;
        }
        return internal(e);
    }

    /** A client that closed its connection mid-request (Jetty's EofException, "Early EOF"): nobody to answer. */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.eclipse.jetty.io.EofException") || t instanceof java.io.EOFException
                    || "Early EOF".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private Response internal(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.error("Request {} failed (error id {})", path(), id, e);
        return problem(500, "Internal Server Error",
                "The server could not answer this request; the server log has the details under error id " + id,
                null);
    }

    private Response storeUnavailable() {
        return Response.fromResponse(problem(503, "Service Unavailable", new StoreUnavailable().getMessage(), null))
                .header("Retry-After", "5").build();
    }

    private boolean underStorePath() {
        try {
            String p = uri.getPath().replaceAll("^/+", "");
            int slash = p.indexOf('/');
            return STORE_PATHS.contains(slash < 0 ? p : p.substring(0, slash));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String path() {
        try {
            if (uri == null) {
                return "this path";
            }
            String base = uri.getBaseUri().getPath().replaceAll("^/+|/+$", "");
            return (base.isEmpty() ? "" : "/" + base) + "/" + uri.getPath().replaceAll("^/+", "");
        } catch (RuntimeException e) {
            return "this path";
        }
    }

    static Response problem(int status, String title, String detail, String field) {
        ProblemDTO p = new ProblemDTO();
        p.status = status;
        p.title = title;
        p.detail = printable(detail);
        p.field = field;
        return Response.status(status).type(ProblemDTO.MEDIA_TYPE).entity(p).build();
    }

    /** Control characters and lone surrogates from the request are shown escaped, never sent back raw. */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + u.getPropertyName() + "'" + at(u) + "; known fields: "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' cannot take the value '" + Params.shown(String.valueOf(f.getValue())) + "'"
                    + (f.getTargetType() != null && f.getTargetType().isEnum()
                            ? "; allowed: " + java.util.Arrays.stream(f.getTargetType().getEnumConstants())
                                    .map(String::valueOf).collect(Collectors.joining(", "))
                            : "; expected " + expected(f.getTargetType()))
                    + (f.getTargetType() == String.class ? ": " + f.getOriginalMessage() : "");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' has a value of the wrong type; expected " + expected(m.getTargetType());
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' has a value of the wrong type: " + plain(m.getOriginalMessage());
        }
        if (e instanceof JsonParseException p) {
            return "The body is not valid JSON: " + plain(p.getOriginalMessage())
                    + (p.getLocation() == null ? "" : " (line " + p.getLocation().getLineNr() + ", column "
                            + p.getLocation().getColumnNr() + ")");
        }
        return "The body could not be read as JSON: " + plain(e.getOriginalMessage());
    }

    /** What a field takes, in the words of the API rather than of Java. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "a whole number (JSON number without fraction)";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.time.Instant.class) {
            return "a time as an ISO-8601 string, such as \"2026-01-31T12:00:00Z\"";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.getName().startsWith("io.patchbay.")) {
            return "a JSON object";
        }
        return type.getSimpleName();
    }

    /** A parser message without the parser's own advice about its settings ("enable JsonReadFeature..."). */
    static String plain(String message) {
        if (message == null) {
            return "";
        }
        String m = message.replaceAll("(?s)\\s*[:;,(]?\\s*(enable|disable|to allow|set|use)\\b[^.;)]*"
                + "(Feature|CoercionConfig|CoercionAction|@Json|MapperFeature)[^.;)]*\\)?", "");
        m = m.replaceAll("(?s)\\s*\\((through reference chain|for Object starting at)[^)]*\\)", "");
        if (m.contains("Feature") || m.contains("Coercion") || m.contains("com.fasterxml")) {
            return "it does not follow the JSON grammar";
        }
        return m.strip();
    }

    private static String at(JsonMappingException e) {
        String p = path(e);
        return p.contains(".") ? " at '" + p + "'" : "";
    }

    private static String field(JsonProcessingException e) {
        return e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) : null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
