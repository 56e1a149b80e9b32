package io.patchbay.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** Serves installer files over real HTTP on the server's Jetty, and counts the downloads of each. */
class DownloadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/test-downloads";

    final Map<String, Path> files = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    /** The URL of a served file. */
    static String url(String name) {
        String api = Http.api();
        return api.substring(0, api.length() - "api/v1".length() - 1) + PATH + "/" + name;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        Path file = files.get(name);
        if (file == null) {
            resp.sendError(404);
            return;
        }
        hits.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        resp.setContentType("application/vnd.debian.binary-package");
        resp.setContentLengthLong(Files.size(file));
        Files.copy(file, resp.getOutputStream());
    }

    int hits(String name) {
        AtomicInteger n = hits.get(name);
        return n == null ? 0 : n.get();
    }
}
