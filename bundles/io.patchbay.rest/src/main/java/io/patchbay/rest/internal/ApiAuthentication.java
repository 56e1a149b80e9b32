package io.patchbay.rest.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.security.Authenticator;
import io.patchbay.api.security.CallerDTO;

/**
 * Every request to {@code /api/v1} except an anonymous {@code /health} carries credentials that an
 * {@link Authenticator} accepts (401 otherwise), from an address that has not failed too often (429), for a path
 * whose {@link AccessRule} lets the caller in (403). Runs after {@link ApiGate}; sets security headers on every
 * answer of the server.
 */
@Component(service = Filter.class, property = Constants.SERVICE_RANKING + ":Integer=-10")
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=*)")
public class ApiAuthentication implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthentication.class);
    static final String BEHIND_PROXY = "patchbay.http.behindProxy";
    static final String CHALLENGE = "Bearer realm=\"patchbay\"";
    /** The one operation without an Authorization header but {@code /health}: an agent's enrollment. */
    static final List<String> ENROLL = List.of("agent", "enroll");
    /** Origins of consoles served elsewhere that browsers may let call the API (CORS), comma-separated. */
    static final String CORS_ORIGINS = "patchbay.http.corsOrigins";

    // highest service ranking last, as DS orders them
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Authenticator> authenticators;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final FailedLogins failures = new FailedLogins(10_000);
    private final BundleContext context;

    @Activate
    public ApiAuthentication(BundleContext context) {
        this.context = context;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) resp;
        securityHeaders(request, response);
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        if (!(uri.equals(ApiGate.API) || uri.startsWith(ApiGate.API + "/"))) {
            chain.doFilter(request, response);
            return;
        }
        if (crossOrigin(request, response)) {
            return;
        }
        List<String> segments = segments(uri.substring(ApiGate.API.length()));
        if (segments.equals(ENROLL) && "POST".equals(request.getMethod())) {
            // the enrollment token in the body is the credential; refused tokens are slowed down there
            serve(null, request, response, chain);
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            if (segments.equals(List.of("health"))) {
                // readiness for load balancers; details need credentials
                serve(null, request, response, chain);
                return;
            }
            refuse(request, response, 401, "Unauthorized", "This needs credentials: send Authorization: Bearer "
                    + "<token> (an API token an admin created, or a device secret on the agent endpoints)");
            return;
        }
        String address = clientAddress(request, context);
        Duration wait = failures.wait(address, clock);
        if (!wait.isZero()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, wait.toSeconds() + 1)));
            refuse(request, response, 429, "Too Many Requests", "Too many requests from " + address + " had "
                    + "credentials that are not valid; try again in " + Math.max(1, wait.toSeconds() + 1)
                    + " seconds");
            return;
        }
        Optional<CallerDTO> caller;
        try {
            caller = authenticate(authorization);
        } catch (RuntimeException e) {
            LOG.warn("Credentials could not be checked: {}", e.toString());
            caller = null;
        }
        if (caller == null) {
            response.setHeader("Retry-After", "5");
            refuse(request, response, 503, "Service Unavailable", "The store is not available, so credentials "
                    + "cannot be checked; /health says when it is back");
            return;
        }
        if (caller.isEmpty()) {
            failures.failed(address, clock);
            refuse(request, response, 401, "Unauthorized", "The credentials in Authorization are not valid: "
                    + "unknown, expired or revoked");
            return;
        }
        failures.succeeded(address);
        String refusal = AccessRule.of(request.getMethod(), segments).refusal(caller.get());
        if (refusal != null) {
            refuse(request, response, 403, "Forbidden", refusal);
            return;
        }
        serve(caller.get(), request, response, chain);
    }

    private static void serve(CallerDTO caller, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        Callers.set(caller);
        try {
            chain.doFilter(request, response);
        } finally {
            Callers.set(null);
        }
    }

    /** The caller, empty when no authenticator accepts the credentials, null when none can check them now. */
    private Optional<CallerDTO> authenticate(String authorization) {
        List<Authenticator> all = authenticators;
        if (all == null || all.isEmpty()) {
            return null;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Optional<CallerDTO> caller = all.get(i).authenticate(authorization.strip());
            if (caller != null && caller.isPresent() && caller.get().role != null && caller.get().name != null) {
                return caller;
            }
        }
        return Optional.empty();
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        ApiGate.discardBody(request);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
        }
        ApiGate.problem(response, status, title, detail, status == 403 ? null : "Authorization");
    }

    /** The address failures are counted for: behind a reverse proxy, the one the proxy says it served. */
    static String clientAddress(HttpServletRequest request, BundleContext context) {
        if (Boolean.parseBoolean(context.getProperty(BEHIND_PROXY))) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                return hops[hops.length - 1].strip();
            }
        }
        return request.getRemoteAddr();
    }

    /**
     * CORS for the origins listed in {@value #CORS_ORIGINS} only (a console served elsewhere): their requests may read
     * answers, and their preflights are answered here, before authentication, as browsers send them without
     * credentials. Other origins get no CORS header, so browsers keep their pages out.
     *
     * @return whether the request was a preflight, answered
     */
    private boolean crossOrigin(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String listed = context.getProperty(CORS_ORIGINS);
        if (listed == null || java.util.Arrays.stream(listed.split(",")).map(String::strip)
                .noneMatch(o -> !o.isEmpty() && o.equalsIgnoreCase(origin.strip()))) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin.strip());
        response.addHeader("Vary", "Origin");
        response.setHeader("Access-Control-Expose-Headers", "ETag, Location, Retry-After, WWW-Authenticate");
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
            response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
            response.setHeader("Access-Control-Max-Age", "600");
            response.setStatus(204);
            return true;
        }
        return false;
    }

    static void securityHeaders(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        response.setHeader("Cache-Control", "no-store");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /** The path's segments after /api/v1, decoded, without empty ones or matrix parameters, as JAX-RS matches. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            int matrix = s.indexOf(';');
            String segment = matrix >= 0 ? s.substring(0, matrix) : s;
            if (segment.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
