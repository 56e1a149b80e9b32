package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every operation the API describes in its OpenAPI document, sent a generated corpus of bad input: wrong, absent and
 * oversized bodies, values of the wrong JSON type, huge numbers, control characters and lone surrogates, bad cursors
 * and limits, ids with encoded slashes and line breaks, odd Content-Types and charsets, If-Match variants and long
 * headers. No answer may be a 5xx, and every error must be application/problem+json with a detail and no stack
 * trace. Bounded: at most {@value #MAX_REQUESTS} requests and {@link #BUDGET}; objects it happens to create are
 * deleted again.
 */
@ExtendWith(JobsCleanup.class)
class FuzzIT {
    static final int MAX_REQUESTS = 6000;
    static final Duration BUDGET = Duration.ofSeconds(150);

    /** Ids for {id}: unknown, encoded slash, CR LF, dot segments, too long, non-ASCII, space, a matrix parameter. */
    static final List<String> IDS = List.of("fuzz-none", "a%2fb", "a%0d%0ab", "%2e%2e", "x".repeat(300), "%e2%82%ac",
            "a%20b", "a;b=c", "%25", "a%5cb");
    /** Values for query parameters: numbers out of every range, words, nothing, long and encoded control text. */
    static final List<String> QUERY_VALUES = List.of("", "-1", "0", "abc", "99999999999999999999", "2147483648", "1e3",
            "1.5", "%0d%0a", "%e2%82%ac", "y".repeat(2000), "%ed%a0%80");
    static final List<String> CURSORS = List.of("garbage", b64("p:-5"), b64("o:-5"), b64("pb1:-1"),
            b64("pb1:99999999999"), b64("pb1:"), "====", "%00%00", b64("pb1:" + "k".repeat(300)), "z".repeat(3000));
    /** JSON values of every type and of sizes and contents no field takes. */
    static final List<String> JSON_VALUES = List.of("true", "123", "-1", "1.5", "1e400", "99999999999999999999999",
            "-9223372036854775809", "\"" + "s".repeat(300) + "\"", "\"" + "l".repeat(70_000) + "\"", "\"\\ud800\"",
            "\"a\\udc00b\"", "\"\\u0000\\u0007\\r\\n\"", "[]", "{}", "null", "[1,\"a\",null]", "\"\"",
            "\"+1000000000-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"");
    static final List<String> BODIES = List.of("", "null", "[]", "{}", "123", "\"text\"", "{", "{}{}", "{\"a\":",
            "[".repeat(5000) + "]".repeat(5000), "{\"\\ud800\":1}", "\u0000");
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json; charset=nonsense", "application/json; charset=utf-16",
            "application/json;;;", "garbage", "application/xml", "application/json; charset=\"\"");
    static final List<String> IF_MATCHES = List.of("*", "\"abc\"", "W/\"1\"", "\"1\", \"2\"", "\"\"",
            "\"99999999999999999999\"", "-1", "x".repeat(4000));

    private final List<String> failures = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private int sent;
    private long deadline;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noInputGetsAServerErrorOrAnErrorThatIsNotProblemJson() throws Exception {
        JsonNode api = Http.get("/openapi.json").json();
        deadline = System.nanoTime() + BUDGET.toNanos();
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                fuzz(api, path.getKey(), op.getKey().toUpperCase(java.util.Locale.ROOT), op.getValue());
                operations++;
            }
        }
        for (String location : created) {
            send("DELETE", location, Map.of("If-Match", "*"), null, "cleanup");
        }
        assertTrue(operations >= 40, "operations described: " + operations);
        assertTrue(sent >= 1000, "requests sent within the budget: " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " requests got a bad answer:\n"
                + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
    }

    private void fuzz(JsonNode api, String template, String method, JsonNode op) throws Exception {
        List<String> query = new ArrayList<>();
        if (op.has("parameters")) {
            op.get("parameters").forEach(p -> {
                if (p.get("in").asText().equals("query")) {
                    query.add(p.get("name").asText());
                }
            });
        }
        // every path parameter ({id}, {deviceId}, {jobId}) is fuzzed, and stands for no object otherwise
        boolean hasId = template.contains("{");
        String plain = template.replaceAll("\\{[^}]+}", "fuzz-none");
        String bodyType = null;
        JsonNode schema = null;
        if (op.has("requestBody")) {
            Map.Entry<String, JsonNode> content = op.get("requestBody").get("content").fields().next();
            bodyType = content.getKey();
            schema = resolve(api, content.getValue().get("schema"));
        }
        Map<String, String> json = bodyType == null ? Map.of() : Map.of("Content-Type", bodyType);
        byte[] emptyObject = "{}".getBytes(StandardCharsets.UTF_8);

        if (hasId) {
            for (String id : IDS) {
                send(method, template.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(id)),
                        headers(json, method), bodyType == null ? null : emptyObject, "id");
            }
        }
        for (String name : query) {
            List<String> values = name.equals("cursor") ? CURSORS : QUERY_VALUES;
            for (String v : values) {
                send(method, plain + "?" + name + "=" + v, headers(json, method),
                        bodyType == null ? null : emptyObject, "query " + name);
            }
        }
        if (bodyType != null) {
            for (String b : BODIES) {
                send(method, plain, headers(json, method), b.getBytes(StandardCharsets.UTF_8), "body");
            }
            send(method, plain, headers(json, method), null, "no body");
            send(method, plain, headers(json, method), new byte[] { (byte) 0xff, (byte) 0xfe, '{', '}' }, "bad UTF-8");
            send(method, plain, headers(json, method), ("{\"x\":\"" + "b".repeat(2 * 1024 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8), "oversized body");
            for (String type : CONTENT_TYPES) {
                send(method, plain, headers(Map.of("Content-Type", type), method), emptyObject, "Content-Type");
            }
            send(method, plain, headers(Map.of(), method), emptyObject, "no Content-Type");
            if (schema != null && schema.has("properties")) {
                for (Iterator<Map.Entry<String, JsonNode>> props = schema.get("properties").fields(); props.hasNext();) {
                    String property = props.next().getKey();
                    for (String v : JSON_VALUES) {
                        String text = "{\"" + property + "\":" + v + "}";
                        send(method, plain, headers(json, method), text.getBytes(StandardCharsets.UTF_8),
                                "field " + property);
                    }
                }
            }
        } else if (!method.equals("GET")) {
            for (String type : CONTENT_TYPES) {
                send(method, plain, headers(Map.of("Content-Type", type), method), "x".getBytes(), "Content-Type");
            }
            send(method, plain, headers(Map.of("Origin", "http://evil.example"), method), null, "cross-site");
        }
        if (method.equals("PUT") || method.equals("DELETE")) {
            for (String ifMatch : IF_MATCHES) {
                Map<String, String> h = new LinkedHashMap<>(json);
                h.put("If-Match", ifMatch);
                send(method, plain, h, bodyType == null ? null : emptyObject, "If-Match");
            }
        }
        for (Map<String, String> h : List.of(Map.of("X-Patchbay-User", "u".repeat(4000)),
                Map.of("X-Patchbay-User", "a\u00e9\u00ff"), Map.of("Accept", "application/xml"),
                Map.of("Accept", "text/csv"), Map.of("Accept", "garbage/"), Map.of("Accept", "*/*"))) {
            Map<String, String> all = new LinkedHashMap<>(headers(json, method));
            all.putAll(h);
            send(method, plain, all, bodyType == null ? null : emptyObject, "header " + h.keySet());
        }
    }

    private static Map<String, String> headers(Map<String, String> base, String method) {
        Map<String, String> h = new LinkedHashMap<>(base);
        if (method.equals("PUT") || method.equals("DELETE")) {
            h.putIfAbsent("If-Match", "\"1\"");
        }
        return h;
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        if (schema != null && schema.has("$ref")) {
            String name = schema.get("$ref").asText().replaceFirst(".*/", "");
            return api.get("components").get("schemas").get(name);
        }
        return schema;
    }

    private void send(String method, String path, Map<String, String> headers, byte[] body, String variant)
            throws Exception {
        if (sent >= MAX_REQUESTS || System.nanoTime() > deadline) {
            return;
        }
        sent++;
        String what = method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path) + " [" + variant
                + "]";
        Http.Answer a;
        try {
            a = Http.raw(method, path, headers, body);
        } catch (IllegalArgumentException e) {
            // a request the client itself refuses to send (e.g. an illegal header value) is no test of the server
            sent--;
            return;
        } catch (java.io.IOException e) {
            failures.add(what + " -> no answer: " + e);
            return;
        }
        String snippet = a.body().length() > 160 ? a.body().substring(0, 160) + "…" : a.body();
        if (a.status() >= 500) {
            failures.add(what + " -> " + a.status() + " " + a.contentType() + " " + snippet);
        } else if (a.status() >= 400) {
            if (!a.contentType().startsWith("application/problem+json")) {
                failures.add(what + " -> " + a.status() + " not problem+json: " + a.contentType() + " " + snippet);
            } else {
                JsonNode p;
                try {
                    p = Http.JSON.readTree(a.body());
                } catch (Exception e) {
                    failures.add(what + " -> " + a.status() + " problem that is not JSON: " + snippet);
                    return;
                }
                if (p.path("status").asInt() != a.status() || p.path("detail").asText().isBlank()
                        || a.body().contains("at io.patchbay") || a.body().contains("Exception")) {
                    failures.add(what + " -> " + a.status() + " problem without its status or detail: " + snippet);
                }
            }
        } else if (a.status() == 201) {
            a.raw().headers().firstValue("Location").ifPresent(l -> created.add(l.substring(l.indexOf("/api/v1")
                    + "/api/v1".length())));
        }
    }
}
