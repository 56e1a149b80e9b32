package io.patchbay.source.catalog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Installers downloaded once into a cache folder, named by their SHA-256, and never handed out unless their content
 * has exactly the SHA-256 the catalog gives.
 */
final class Downloads {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** A download that must not be run, or could not be made; the message says which and why. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Path cache;
    private final HttpClient http;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Downloads(Path cache) {
        this.cache = cache;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    Path fetch(String url, String sha256, Duration timeout) throws IOException, InterruptedException {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new Refused("the catalog gives no valid SHA-256 for " + url
                    + "; an installer that cannot be verified is never run");
        }
        String expected = sha256.toLowerCase(Locale.ROOT);
        if (url == null || url.isBlank()) {
            throw new Refused("the catalog gives no download URL");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Refused("the download URL '" + url + "' is malformed");
        }
        String name = uri.getPath() == null ? "installer" : uri.getPath().replaceAll(".*/", "");
        Path target = cache.resolve(expected + "-" + (name.isBlank() ? "installer" : name.replaceAll("[^A-Za-z0-9._-]", "_")));
        synchronized (locks.computeIfAbsent(expected, k -> new Object())) {
            if (Files.isRegularFile(target) && expected.equals(sha256(target))) {
                return target;
            }
            Files.createDirectories(cache);
            Path part = Files.createTempFile(cache, expected, ".part");
            try {
                String actual = download(uri, part, timeout);
                if (!actual.equals(expected)) {
                    throw new Refused("refused: the SHA-256 of " + url + " is " + actual + ", but the catalog says "
                            + expected + "; nothing was run");
                }
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } finally {
                Files.deleteIfExists(part);
            }
        }
    }

    private String download(URI uri, Path to, Duration timeout) throws IOException, InterruptedException {
        MessageDigest digest = digest();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(to), digest)) {
            switch (scheme) {
            case "http", "https" -> {
                HttpResponse<InputStream> r;
                try {
                    r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    throw new Refused("the download of " + uri + " failed: " + e.getMessage());
                }
                try (InputStream in = r.body()) {
                    if (r.statusCode() != 200) {
                        throw new Refused("the download of " + uri + " failed: HTTP " + r.statusCode());
                    }
                    in.transferTo(out);
                }
            }
            case "file" -> {
                Path from = Path.of(uri);
                if (!Files.isRegularFile(from)) {
                    throw new Refused("the download of " + uri + " failed: no such file");
                }
                Files.copy(from, out);
            }
            default -> throw new Refused("the download URL " + uri + " is neither http, https nor file");
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
