package io.patchbay.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.patchbay.api.agent.CheckInDTO;
import io.patchbay.api.agent.CheckInReplyDTO;
import io.patchbay.api.agent.EnrollRequestDTO;
import io.patchbay.api.agent.EnrollmentDTO;
import io.patchbay.api.agent.JobReleaseDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;

/**
 * The agent's side of the server's {@code /api/v1/agent/...} endpoints, over the JDK's HTTP client: JSON bodies as the
 * api's DTOs, the device secret as {@code Authorization: Bearer}, and every failure a {@link ServerException} (status
 * 0 when the server could not be reached).
 */
final class ServerClient {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private final URI api;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile String deviceId;
    private volatile String secret;

    ServerClient(URI server, SSLContext ssl, ObjectMapper json) {
        this.api = URI.create(server.toString() + "/api/v1/");
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.json = json;
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    ObjectMapper json() {
        return json;
    }

    void device(String id, String deviceSecret) {
        this.deviceId = id;
        this.secret = deviceSecret;
    }

    String deviceId() {
        return deviceId;
    }

    EnrollmentDTO enroll(EnrollRequestDTO request) {
        return call("POST", "agent/enroll", request, EnrollmentDTO.class, false, CALL_TIMEOUT).orElseThrow(
                () -> new ServerException(502, "the server answered the enrollment without a body", null));
    }

    CheckInReplyDTO checkIn(CheckInDTO checkIn) {
        return call("POST", device() + "/check-in", checkIn, CheckInReplyDTO.class, true, CALL_TIMEOUT).orElseThrow(
                () -> new ServerException(502, "the server answered the check-in without a body", null));
    }

    /** The device's next job, waiting up to {@code waitSeconds} on the server for one; empty when none came. */
    Optional<JobClaimDTO> claim(int waitSeconds, Collection<String> sourceIds) {
        StringBuilder q = new StringBuilder(device()).append("/jobs/claim?waitSeconds=").append(waitSeconds);
        for (String s : sourceIds) {
            q.append("&source=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return call("POST", q.toString(), null, JobClaimDTO.class, true,
                CALL_TIMEOUT.plusSeconds(Math.max(0, waitSeconds)));
    }

    JobClaimDTO progress(String jobId, JobProgressDTO progress) {
        return call("POST", device() + "/jobs/" + enc(jobId) + "/progress", progress, JobClaimDTO.class, true,
                CALL_TIMEOUT).orElseThrow(() -> new ServerException(502, "the server answered progress without a body",
                        null));
    }

    JobDTO report(String jobId, JobReportDTO report) {
        return call("POST", device() + "/jobs/" + enc(jobId) + "/report", report, JobDTO.class, true, CALL_TIMEOUT)
                .orElseThrow(() -> new ServerException(502, "the server answered the report without a body", null));
    }

    void release(String jobId, JobReleaseDTO release) {
        call("POST", device() + "/jobs/" + enc(jobId) + "/release", release, Void.class, true, CALL_TIMEOUT);
    }

    /**
     * Downloads an offered source bundle into {@code folder} and returns the file with the SHA-256 of its bytes; the
     * caller compares it with the one the check-in named.
     */
    Download bundle(String symbolicName, String version, Path folder) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(device() + "/bundles/" + enc(symbolicName) + "/"
                + enc(version))).timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + secret)
                .header("Accept", "application/vnd.osgi.bundle").GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                if (r.statusCode() != 200) {
                    throw failure(r.statusCode(), new String(body.readNBytes(16_384), StandardCharsets.UTF_8), r);
                }
                Files.createDirectories(folder);
                Path tmp = Files.createTempFile(folder, "bundle-", ".jar");
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(body, sha)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                return new Download(tmp, HexFormat.of().formatHex(sha.digest()));
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, "interrupted", null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Download(Path file, String sha256) {
    }

    private String device() {
        String id = deviceId;
        if (id == null) {
            throw new IllegalStateException("the agent is not enrolled");
        }
        return "agent/devices/" + enc(id);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> Optional<T> call(String method, String path, Object body, Class<T> type, boolean auth,
            Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path)).timeout(timeout)
                    .header("Accept", "application/json");
            if (auth) {
                b.header("Authorization", "Bearer " + secret);
            }
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = r.statusCode();
            if (status == 204 || type == Void.class && status / 100 == 2) {
                return Optional.empty();
            }
            if (status / 100 == 2) {
                try {
                    return Optional.of(json.readValue(r.body(), type));
                } catch (IOException e) {
                    throw new ServerException(502, "the server's answer to " + method + " /api/v1/" + path
                            + " is not the JSON expected: " + e.getMessage(), null);
                }
            }
            throw failure(status, new String(r.body(), StandardCharsets.UTF_8), r);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, "interrupted", null);
        }
    }

    private ServerException unreachable(IOException e) {
        String why;
        if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else if (e instanceof SSLException) {
            why = "TLS failed: " + e.getMessage();
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ServerException(0, "the server " + api.resolve("/") + " cannot be reached (" + why + ")", null);
    }

    /** The problem+json detail when there is one, else the start of the body. */
    private ServerException failure(int status, String body, HttpResponse<?> r) {
        String detail = null;
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("detail")) {
                detail = node.get("detail").asText();
            } else if (node != null && node.hasNonNull("title")) {
                detail = node.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        if (detail == null && body != null && !body.isBlank()) {
            detail = body.length() > 300 ? body.substring(0, 300) + "..." : body.strip();
        }
        Duration retryAfter = r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        return new ServerException(status, detail, retryAfter);
    }
}
