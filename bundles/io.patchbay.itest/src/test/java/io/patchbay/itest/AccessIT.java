package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceMethodInfoDTO;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.security.Role;

/**
 * Every operation of {@code /api/v1/openapi.json}, as the document lists it, against every role: each is answered to
 * the roles the table below allows and refused (403, or 401 without credentials) to the others. An operation the
 * table does not name fails the test, so an endpoint cannot be added without deciding who may use it; so does one
 * the runtime serves that the document misses. Agent endpoints ({@code /agent/devices/{id}/...}) belong to the
 * device's secret alone, by the rule for their prefix. Only
 * {@code GET /health} answers without credentials.
 */
@ExtendWith(JobsCleanup.class)
class AccessIT {
    /** Who may use each operation: the lowest role, or DEVICE for an agent's own endpoints. */
    static final Map<String, Role> LOWEST = new LinkedHashMap<>();

    static {
        for (String read : List.of("/health", "/openapi.json", "/devices", "/devices/{id}", "/groups", "/groups/{id}",
                "/policies", "/policies/{id}", "/runs", "/runs/{id}", "/runs/{id}/jobs", "/updates",
                "/updates/devices", "/results", "/reports/compliance", "/audit", "/sources", "/sources/{id}",
                "/jobs", "/jobs/{id}", "/blocklist", "/blocklist/{id}", "/catalogs")) {
            LOWEST.put("GET " + read, Role.READ_ONLY);
        }
        for (String write : List.of("POST /devices", "PUT /devices/{id}", "DELETE /devices/{id}", "POST /groups",
                "PUT /groups/{id}", "DELETE /groups/{id}", "POST /policies", "PUT /policies/{id}",
                "DELETE /policies/{id}", "POST /runs", "POST /updates/install", "POST /jobs", "POST /jobs/{id}/cancel",
                "POST /blocklist", "DELETE /blocklist/{id}", "GET /enrollment-tokens",
                "DELETE /devices/{id}/identity-conflict")) {
            LOWEST.put(write, Role.OPERATOR);
        }
        for (String admin : List.of("POST /sources/{id}/drain", "DELETE /sources/{id}/drain",
                "PUT /sources/{id}/bundle", "GET /tokens", "POST /tokens", "GET /tokens/{id}", "DELETE /tokens/{id}",
                "GET /devices/{id}/credentials", "POST /devices/{id}/credentials",
                "DELETE /devices/{id}/credentials", "POST /plugins", "POST /enrollment-tokens",
                "DELETE /enrollment-tokens/{id}")) {
            LOWEST.put(admin, Role.ADMIN);
        }
    }

    /**
     * Operations whose credential is in the body, not in Authorization: an agent's enrollment, with its enrollment
     * token. Every caller gets the same answer (here 401 for the empty token), none a 403.
     */
    static final List<String> ANYONE = List.of("POST /agent/enroll");

    static final Map<Role, String> BEARERS = new LinkedHashMap<>();

    @BeforeAll
    static void tokens() throws Exception {
        Http.awaitReady();
        for (Role role : List.of(Role.READ_ONLY, Role.OPERATOR, Role.ADMIN)) {
            BEARERS.put(role, "Bearer " + Http.issue("access-" + role, role));
        }
        agentDevice = CredentialsIT.device("access");
        BEARERS.put(Role.DEVICE, "Bearer " + CredentialsIT.deviceSecret(agentDevice));
    }

    static String agentDevice;

    /** Every resource method the JAX-RS runtime serves in the Patchbay application, as "METHOD /template". */
    static List<String> served() {
        BundleContext context = FrameworkUtil.getBundle(AccessIT.class).getBundleContext();
        ServiceReference<JaxrsServiceRuntime> ref = context.getServiceReference(JaxrsServiceRuntime.class);
        List<String> served = new ArrayList<>();
        try {
            for (ApplicationDTO app : context.getService(ref).getRuntimeDTO().applicationDTOs) {
                if (!"patchbay".equals(app.name)) {
                    continue;
                }
                for (ResourceDTO r : app.resourceDTOs) {
                    for (ResourceMethodInfoDTO m : r.resourceMethods) {
                        String path = ("/" + m.path).replaceAll("/+", "/").replaceAll("\\{\\s*([^:}\\s]+)[^}]*}",
                                "{$1}");
                        served.add(m.method + " " + (path.length() > 1 && path.endsWith("/")
                                ? path.substring(0, path.length() - 1) : path));
                    }
                }
            }
        } finally {
            context.ungetService(ref);
        }
        return served;
    }

    @Test
    void everyOperationOfTheDocumentAnswersOnlyTheRolesItsRuleAllows() throws Exception {
        JsonNode paths = Http.get("/openapi.json").json().get("paths");
        List<String> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext();) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext();) {
                Map.Entry<String, JsonNode> method = m.next();
                operations.add(method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }
        // what the JAX-RS runtime serves, so an endpoint missing from the document is driven too
        List<String> served = served();
        assertTrue(served.contains("GET /devices/{id}") && served.contains("POST /tokens"), served.toString());
        for (String operation : served) {
            if (!operations.contains(operation)) {
                operations.add(operation);
            }
        }
        TreeSet<String> unruled = new TreeSet<>(operations);
        unruled.removeIf(o -> o.contains(" /agent/devices/{"));
        unruled.removeAll(LOWEST.keySet());
        unruled.removeAll(ANYONE);
        assertEquals(new TreeSet<>(), unruled, "operations of openapi.json this test has no rule for");
        assertTrue(operations.size() >= LOWEST.size(), "the document lists " + operations);

        List<String> wrong = new ArrayList<>();
        for (String operation : operations) {
            String method = operation.substring(0, operation.indexOf(' '));
            String template = operation.substring(operation.indexOf(' ') + 1);
            // an agent endpoint is driven for the device whose secret the DEVICE caller has
            String path = template.replaceFirst("^/agent/devices/\\{[^}]+}", "/agent/devices/" + agentDevice)
                    .replaceAll("\\{[^}]+}", "no-such-thing");
            Role lowest = template.startsWith("/agent/devices/{") ? Role.DEVICE : LOWEST.get(operation);
            if (ANYONE.contains(operation)) {
                for (String bearer : List.of("", BEARERS.get(Role.ADMIN), BEARERS.get(Role.DEVICE))) {
                    Http.Answer a = Http.send(request(method, path, bearer));
                    if (a.status() != 401 && a.status() != 429 || !a.body().contains("enrollment")) {
                        wrong.add(operation + " with '" + bearer + "': " + a.status() + " " + a.body());
                    }
                }
                continue;
            }
            Http.Answer anonymous = Http.send(request(method, path, ""));
            if (anonymous.status() != (operation.equals("GET /health") ? 200 : 401)) {
                wrong.add(operation + " without credentials: " + anonymous.status() + " " + anonymous.body());
            }
            for (Map.Entry<Role, String> caller : BEARERS.entrySet()) {
                Http.Answer a = Http.send(request(method, path, caller.getValue()));
                boolean allowed = caller.getKey().includes(lowest);
                if (allowed ? a.status() == 401 || a.status() == 403 || a.status() >= 500 : a.status() != 403) {
                    wrong.add(operation + " as " + caller.getKey() + " (" + (allowed ? "allowed" : "refused")
                            + "): " + a.status() + " " + a.body());
                }
                if (!allowed && !a.contentType().startsWith("application/problem+json")) {
                    wrong.add(operation + " as " + caller.getKey() + ": refused as " + a.contentType());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** A request any caller could send: an empty JSON object or a few bytes where the endpoint takes a body. */
    private static HttpRequest.Builder request(String method, String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Http.api() + path)).header("Authorization", bearer);
        if (path.endsWith("/bundle") || path.equals("/plugins")) {
            return b.header("Content-Type", "application/java-archive")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(new byte[] { 'P', 'K' }));
        }
        if (method.equals("POST") && !path.endsWith("/drain") && !path.endsWith("/cancel")
                && !path.endsWith("/credentials") || method.equals("PUT")) {
            return b.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString("{}"));
        }
        return b.method(method, HttpRequest.BodyPublishers.noBody());
    }
}
