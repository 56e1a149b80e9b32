package io.patchbay.agent.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A small HTTP server answering as the contract says, with answers a test sets per method and path pattern. */
final class FakeServer implements AutoCloseable {
    record Request(String method, String path, String query, String authorization, String body) {
    }

    record Answer(int status, String contentType, byte[] body, String retryAfter) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8), null);
        }

        static Answer problem(int status, String detail) {
            return new Answer(status, "application/problem+json", ("{\"type\":\"about:blank\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8), null);
        }

        static Answer empty(int status) {
            return new Answer(status, null, new byte[0], null);
        }
    }

    private record Route(String method, Pattern path, Function<Request, Answer> answer) {
    }

    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers requests of this method whose path matches; the last route set wins. */
    FakeServer on(String method, String pathRegex, Function<Request, Answer> answer) {
        routes.add(0, new Route(method, Pattern.compile(pathRegex), answer));
        return this;
    }

    List<Request> requests(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.method.equals(method) && p.matcher(r.path).matches()) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders().getFirst("Authorization"), body);
        requests.add(r);
        Answer a = Answer.problem(404, "no route for " + r.method + " " + r.path);
        for (Route route : routes) {
            if (route.method.equals(r.method) && route.path.matcher(r.path).matches()) {
                a = route.answer.apply(r);
                break;
            }
        }
        if (a.contentType != null) {
            ex.getResponseHeaders().add("Content-Type", a.contentType);
        }
        if (a.retryAfter != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfter);
        }
        if (a.body.length == 0) {
            ex.sendResponseHeaders(a.status, -1);
        } else {
            ex.sendResponseHeaders(a.status, a.body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
