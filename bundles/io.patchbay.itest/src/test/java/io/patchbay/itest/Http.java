package io.patchbay.itest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.security.Credentials;
import io.patchbay.api.security.Role;

/**
 * Real HTTP against the server running in this framework, as an admin: every request carries an admin token unless
 * it names its own {@code Authorization} (an empty value sends none).
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private static volatile String adminToken;

    private Http() {
    }

    /** An admin token of the tests, issued once through the store's credentials service. */
    static synchronized String adminToken() {
        if (adminToken == null) {
            adminToken = issue("itest-admin", Role.ADMIN);
        }
        return adminToken;
    }

    /** Issues a token with the role, waiting for the store's credentials service. */
    static String issue(String name, Role role) {
        BundleContext context = FrameworkUtil.getBundle(Http.class).getBundleContext();
        ServiceTracker<Credentials, Credentials> tracker = new ServiceTracker<>(context, Credentials.class, null);
        tracker.open();
        try {
            Credentials credentials = tracker.waitForService(60_000);
            if (credentials == null) {
                throw new AssertionError("no credentials service (is the store up?)");
            }
            // names are unique among live tokens, and a kept data folder or a shared database has the last run's
            for (var token : credentials.tokens()) {
                if (token.name.equals(name) && token.revokedAt == null) {
                    credentials.revokeToken(token.id, "itest");
                }
            }
            return credentials.issueToken(name, role, null, "itest").secret;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    private static final java.util.Map<String, String> NAMED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The value of an {@code Authorization} header with an admin token named {@code user}: its audit actor. */
    static String bearerOf(String user) {
        return "Bearer " + NAMED.computeIfAbsent(user, u -> issue(u, Role.ADMIN));
    }

    /** The value of an {@code Authorization} header with the tests' admin token. */
    static String bearer() {
        return "Bearer " + adminToken();
    }

    /** The base URL of the API, from the endpoint the HTTP runtime advertises. */
    static String api() {
        BundleContext context = FrameworkUtil.getBundle(Http.class).getBundleContext();
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            try {
                ServiceReference<?>[] refs = context
                        .getServiceReferences("org.osgi.service.http.runtime.HttpServiceRuntime", null);
                if (refs != null) {
                    Object endpoint = refs[0].getProperty("osgi.http.endpoint");
                    String first = endpoint instanceof String[] a ? a[0]
                            : endpoint instanceof java.util.Collection<?> c ? String.valueOf(c.iterator().next())
                                    : String.valueOf(endpoint);
                    if (!first.endsWith("/")) {
                        first += "/";
                    }
                    return first + "api/v1";
                }
                Thread.sleep(50);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no HTTP runtime");
    }

    static Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(api() + path)).GET());
    }

    static Answer post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(api() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Answer delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(api() + path)).DELETE());
    }

    /**
     * Any request as a client could send it: method, path and query as given (already percent-encoded), headers,
     * and a body of raw bytes (or none).
     */
    static Answer raw(String method, String pathAndQuery, java.util.Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api() + pathAndQuery)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    /**
     * A request written byte for byte on a socket, for what the JDK client will not send (an Origin header, a NUL in
     * a path). The answer's body is read to the end of the connection.
     */
    static Answer socket(String method, String pathAndQuery, java.util.Map<String, String> headers, String body)
            throws IOException {
        URI base = URI.create(api());
        try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder(method + " " + base.getPath() + pathAndQuery + " HTTP/1.1\r\n");
            req.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
            req.append("Connection: close\r\n");
            if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization"))) {
                req.append("Authorization: ").append(bearer()).append("\r\n");
            }
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            byte[] b = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String payload = end < 0 ? "" : answer.substring(end + 4);
            int status = Integer.parseInt(head.split(" ")[1]);
            String type = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    type = line.substring("content-type:".length()).strip();
                }
            }
            return new Answer(status, type, payload, null);
        }
    }

    static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(Duration.ofSeconds(90)).build();
        java.util.Optional<String> named = built.headers().firstValue("Authorization");
        java.util.regex.Matcher agent = AGENT_PATH.matcher(built.uri().getRawPath());
        if (named.isEmpty() && agent.find()) {
            // an agent endpoint accepts only its device's secret
            built = HttpRequest.newBuilder(built, (n, v) -> true).header("Authorization",
                    deviceBearer(java.net.URLDecoder.decode(agent.group(1), java.nio.charset.StandardCharsets.UTF_8)))
                    .build();
        } else if (named.isEmpty()) {
            built = HttpRequest.newBuilder(built, (n, v) -> true).header("Authorization", bearer()).build();
        } else if (named.get().isEmpty()) {
            built = HttpRequest.newBuilder(built, (n, v) -> !n.equalsIgnoreCase("Authorization")).build();
        }
        HttpResponse<String> r = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
    }

    private static final java.util.regex.Pattern AGENT_PATH = java.util.regex.Pattern
            .compile("/api/v1/agent/devices/([^/]+)/");
    private static final java.util.Map<String, String> DEVICE_BEARERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String TEST_DEVICE_PREFIX = "itest-device:";
    private static org.osgi.framework.ServiceRegistration<?> testDevices;
    private static volatile boolean acceptTestDevices;

    /** Until {@link #forgetDevices}, agent requests for ids the store does not know pass as those devices. */
    static void acceptTestDevices() {
        acceptTestDevices = true;
    }

    /**
     * The {@code Authorization} value of a device's agent: the secret the store issues for a stored device; for an
     * id the store does not know (tests of the endpoints with a stand-in job service), a test-only authenticator's.
     */
    static String deviceBearer(String deviceId) {
        return DEVICE_BEARERS.computeIfAbsent(deviceId, id -> {
            BundleContext context = FrameworkUtil.getBundle(Http.class).getBundleContext();
            ServiceTracker<Credentials, Credentials> tracker = new ServiceTracker<>(context, Credentials.class, null);
            tracker.open();
            try {
                Credentials credentials = tracker.waitForService(60_000);
                if (credentials == null) {
                    throw new AssertionError("no credentials service (is the store up?)");
                }
                return "Bearer " + credentials.issueDeviceSecret(id, "itest").secret;
            } catch (io.patchbay.api.NotFoundException | io.patchbay.api.InvalidInputException e) {
                if (!acceptTestDevices) {
                    // a device the store does not know (fuzzed ids): the admin, whom agent endpoints refuse
                    return bearer();
                }
                registerTestDevices(context);
                return "Bearer " + TEST_DEVICE_PREFIX + id;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                tracker.close();
            }
        });
    }

    /**
     * Forgets the device secrets and unregisters the test-only authenticator: left registered, it would answer for
     * requests while the store is away (401 instead of 503, and failed logins counted against the tests' address).
     */
    static synchronized void forgetDevices() {
        acceptTestDevices = false;
        DEVICE_BEARERS.clear();
        if (testDevices != null) {
            testDevices.unregister();
            testDevices = null;
        }
    }

    private static synchronized void registerTestDevices(BundleContext context) {
        if (testDevices != null) {
            return;
        }
        io.patchbay.api.security.Authenticator devices = authorization -> {
            if (!authorization.startsWith("Bearer " + TEST_DEVICE_PREFIX)) {
                return java.util.Optional.empty();
            }
            io.patchbay.api.security.CallerDTO caller = new io.patchbay.api.security.CallerDTO();
            caller.deviceId = authorization.substring(("Bearer " + TEST_DEVICE_PREFIX).length());
            caller.name = "device:" + caller.deviceId;
            caller.role = Role.DEVICE;
            return java.util.Optional.of(caller);
        };
        testDevices = context.registerService(io.patchbay.api.security.Authenticator.class, devices,
                new java.util.Hashtable<>(java.util.Map.of(org.osgi.framework.Constants.SERVICE_RANKING, 1000)));
    }

    /** Waits until the server answers its health check. */
    static void awaitReady() throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            try {
                if (get("/health").status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become ready");
    }
}
