package io.patchbay.run.tests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runnable jar as a process of its own, on a free port, with its own data and plugins folders that outlive the
 * process, so that another one can start on them.
 */
final class Server implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a start on a busy two-core machine; a start that never answers fails the test. */
    static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Path home;
    final int port;
    private final List<String> extraProperties;
    private final List<String> expectedSources = new ArrayList<>();
    private Path jar = Path.of(System.getProperty("patchbay.jar"));
    private Process process;
    private int starts;

    /** A server whose folders are {@code home/data} and {@code home/plugins}. */
    Server(String name, String... extraProperties) throws IOException {
        this.home = Path.of(System.getProperty("patchbay.work", "target/servers")).toAbsolutePath()
                .resolve(name + "-" + System.nanoTime());
        Files.createDirectories(plugins());
        this.port = freePort();
        this.extraProperties = List.of(extraProperties);
    }

    Path data() {
        return home.resolve("data");
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Drops the test source bundle into the plugins folder: its instance is the source {@code test}. */
    void withTestSource() throws IOException {
        Path jar = Path.of(System.getProperty("patchbay.test.source"));
        Files.copy(jar, plugins().resolve(jar.getFileName()));
        expectedSources.add("test");
    }

    /** Drops the test source bundle into the plugins folder, configured as the source {@code id} instead. */
    void withTestSource(String id, long stepMillis) throws IOException {
        withTestSource();
        expectedSources.set(expectedSources.size() - 1, id);
        Files.writeString(plugins().resolve("io.patchbay.test.source-" + id + ".cfg"),
                "patchbay.source.id=" + id + "\nstepMillis=" + stepMillis + "\n");
    }

    /** The test source as {@code id}, offering exactly {@code packages} ({@code name:installed:available}). */
    void withTestSource(String id, long stepMillis, String packages) throws IOException {
        withTestSource(id, stepMillis);
        Files.writeString(plugins().resolve("io.patchbay.test.source-" + id + ".cfg"),
                "patchbay.source.id=" + id + "\nstepMillis=" + stepMillis + "\npackages=" + packages + "\n");
    }

    /** A configuration file in the plugins folder, as an operator would drop it there before the start. */
    void configure(String pid, String... lines) throws IOException {
        Files.writeString(plugins().resolve(pid + ".cfg"), String.join("\n", lines) + "\n");
    }

    /**
     * Starts the jar (after the previous process of this server ended) and waits until /health answers 200, the
     * store-backed API answers and the sources from the plugins folder are there.
     */
    Server start() throws Exception {
        launch();
        awaitAnswer(r -> r.statusCode() == 200);
        long until = System.nanoTime() + START_LIMIT.toNanos();
        List<String> ready = new ArrayList<>(List.of("/policies", "/runs"));
        expectedSources.forEach(id -> ready.add("/sources/" + id));
        for (String path : ready) {
            while (get(path).statusCode() != 200) {
                if (System.nanoTime() > until || !process.isAlive()) {
                    throw new AssertionError(path + " never answered 200:\n" + output());
                }
                Thread.sleep(100);
            }
        }
        return this;
    }

    /** The next start runs this jar instead: a newer build, as an upgrade would. */
    void useJar(Path newer) {
        this.jar = newer;
    }

    /** Starts the jar without waiting for anything. */
    Process launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the previous process still runs");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.osgi.service.http.port=" + port, "-Dpatchbay.data=" + data(),
                "-Dfelix.fileinstall.dir=" + plugins()));
        command.addAll(extraProperties);
        command.addAll(List.of("-jar", jar.toString()));
        starts++;
        Path output = home.resolve("process-" + starts + ".log");
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return process;
    }

    /** Waits until /health gives an answer the test accepts; fails when the process ends or the time is up. */
    HttpResponse<String> awaitAnswer(Predicate<HttpResponse<String>> accepted) throws Exception {
        long until = System.nanoTime() + START_LIMIT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("the server ended with exit code " + process.exitValue() + ":\n" + output());
            }
            try {
                last = send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(10)).GET());
                if (accepted.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no accepted answer from /health within " + START_LIMIT + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + output());
    }

    /** SIGTERM; returns the exit code, or fails when the process does not end within the bound. */
    int terminate(Duration bound) throws InterruptedException {
        process.destroy();
        return awaitExit(bound);
    }

    /** SIGKILL: nothing in the process runs any more. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the server did not end within " + bound);
        }
        return process.exitValue();
    }

    /** What the latest process wrote to stdout and stderr. */
    String output() {
        try {
            return Files.readString(home.resolve("process-" + starts + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    String log() throws IOException {
        Path log = data().resolve("logs/patchbay.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/api/v1" + path);
    }

    /**
     * The first admin token the server wrote into its data folder on its first start; null before it did (then only
     * the anonymous /health answers).
     */
    String adminToken() throws IOException {
        Path file = data().resolve("first-admin-token");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        // one store issues one first token: a node sharing a database with another uses the token that one wrote
        for (Server other : sharesStoreWith) {
            Path theirs = other.data().resolve("first-admin-token");
            if (Files.exists(theirs)) {
                return Files.readString(theirs, StandardCharsets.UTF_8).strip();
            }
        }
        return null;
    }

    private final java.util.List<Server> sharesStoreWith = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** These servers use one database: the first admin token is written by whichever of them created it. */
    static void shareOneStore(Server... nodes) {
        for (Server n : nodes) {
            for (Server other : nodes) {
                if (other != n) {
                    n.sharesStoreWith.add(other);
                }
            }
        }
    }

    /** Sends the request as the first admin, once that token exists. */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String token = adminToken();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** POSTs JSON and returns the created object; fails unless the answer is 2xx. */
    JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + path + " " + json + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Polls a JSON resource until it satisfies the condition. */
    JsonNode await(String path, Predicate<JsonNode> condition, Duration bound) throws Exception {
        long until = System.nanoTime() + bound.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < until) {
            HttpResponse<String> r = get(path);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not reach the expected state within " + bound + "; last: " + last);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
