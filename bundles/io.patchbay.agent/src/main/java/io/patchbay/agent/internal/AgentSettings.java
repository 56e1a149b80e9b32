package io.patchbay.agent.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the agent is started with, as framework properties (the launcher turns the command line into them): the
 * server's URL, the enrollment token, the state folder, the device root, whether plain HTTP may leave this machine,
 * and a pinned server key.
 */
record AgentSettings(URI server, String token, Path state, Path root, boolean allowPlainHttp, byte[] pinSha256) {
    static final String SERVER = "patchbay.agent.server";
    static final String TOKEN = "patchbay.agent.token";
    static final String STATE = "patchbay.agent.state";
    static final String ROOT = "patchbay.agent.root";
    static final String ALLOW_PLAIN_HTTP = "patchbay.agent.allowPlainHttp";
    static final String PIN_SHA256 = "patchbay.agent.pinSha256";

    /**
     * The settings, or empty when no server is set (the bundle then does nothing).
     *
     * @throws IllegalArgumentException naming the setting and value that are wrong
     */
    static java.util.Optional<AgentSettings> read(Function<String, String> property) {
        String server = blankToNull(property.apply(SERVER));
        if (server == null) {
            return java.util.Optional.empty();
        }
        URI uri = serverUri(server);
        String state = blankToNull(property.apply(STATE));
        if (state == null) {
            throw new IllegalArgumentException(STATE + " (--state) is required: the folder that keeps the device id and "
                    + "secret");
        }
        String root = blankToNull(property.apply(ROOT));
        boolean plain = Boolean.parseBoolean(property.apply(ALLOW_PLAIN_HTTP));
        String problem = plainHttpProblem(uri, plain);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return java.util.Optional.of(new AgentSettings(uri, blankToNull(property.apply(TOKEN)),
                Path.of(state).toAbsolutePath().normalize(), root == null ? null : Path.of(root).toAbsolutePath()
                        .normalize(), plain, pin(property.apply(PIN_SHA256))));
    }

    /** The server URL: http or https with a host, without query or fragment; a trailing slash is dropped. */
    static URI serverUri(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("server URL '" + value + "' (--server) is malformed: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("server URL '" + value + "' (--server) must be http:// or https:// with "
                    + "a host, e.g. https://patchbay.example.com");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("server URL '" + value + "' (--server) must not have a query or fragment");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    /** Why plain HTTP to this server is refused, or null: HTTPS, a loopback address, or the explicit flag. */
    static String plainHttpProblem(URI server, boolean allowPlainHttp) {
        if (!"http".equalsIgnoreCase(server.getScheme()) || allowPlainHttp) {
            return null;
        }
        String host = server.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            boolean loopback = all.length > 0;
            for (InetAddress a : all) {
                loopback &= a.isLoopbackAddress();
            }
            if (loopback) {
                return null;
            }
        } catch (UnknownHostException | SecurityException e) {
            // not resolvable: not known to be loopback
        }
        return "plain HTTP to " + server + " is refused: the device secret would cross the network in clear text. "
                + "Use https://, or --allow-plain-http when the network is trusted";
    }

    /** A SHA-256 written as 64 hex digits (colons allowed), or null when not set. */
    static byte[] pin(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        String hex = v.replace(":", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("pinned SHA-256 '" + value + "' (--pin-sha256) must be 64 hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
