package io.patchbay.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Who may reach the API: plain HTTP only on loopback, unless the network sees HTTPS alone or a reverse proxy
 * terminates TLS; and only requests whose {@code Host} names it (a page of another origin that rebinds its DNS name
 * to this machine cannot read it). Read from framework or system properties.
 */
record Reachability(String listenHost, boolean networkProtected, Set<String> allowedHosts) {
    static final String LISTEN_HOST = "org.apache.felix.http.host";
    static final String BEHIND_PROXY = ApiAuthentication.BEHIND_PROXY;
    static final String HTTP_ENABLE = "org.apache.felix.http.enable";
    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    static final String ALLOWED_HOSTS = "patchbay.http.allowedHosts";

    static Reachability of(UnaryOperator<String> properties) {
        String hosts = properties.apply(ALLOWED_HOSTS);
        String http = properties.apply(HTTP_ENABLE);
        boolean httpsOnly = Boolean.parseBoolean(properties.apply(HTTPS_ENABLE)) && http != null
                && !Boolean.parseBoolean(http);
        return new Reachability(properties.apply(LISTEN_HOST),
                httpsOnly || Boolean.parseBoolean(properties.apply(BEHIND_PROXY)),
                hosts == null ? Set.of() : Arrays.stream(hosts.split(",")).map(Reachability::hostPart)
                        .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet()));
    }

    /** Why the API must not be served on the address it listens on, or empty when it may. */
    Optional<String> refusal() {
        if (networkProtected || isLoopback(listenHost)) {
            return Optional.empty();
        }
        return Optional.of("The API is not served: " + LISTEN_HOST + " is '" + (listenHost == null ? "" : listenHost)
                + "', which other machines can reach, with plain HTTP: tokens would cross the network in clear "
                + "text. Serve HTTPS only (" + HTTPS_ENABLE + "=true with a keystore, " + HTTP_ENABLE + "=false), "
                + "start with -D" + BEHIND_PROXY + "=true when a reverse proxy terminates TLS, or listen on "
                + "127.0.0.1 (and list the names clients use in -D" + ALLOWED_HOSTS + "=name,...).");
    }

    /** Whether a request's {@code Host} header names this server: loopback, the listen address, or a listed name. */
    boolean acceptsHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostPart(hostHeader);
        return isLoopbackLiteral(host) || allowedHosts.contains(host)
                || listenHost != null && host.equals(hostPart(listenHost)) && !isWildcard(host);
    }

    /** The host of a {@code Host} header or a listed name, lower case, without port, brackets or a final dot. */
    static String hostPart(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            return end < 0 ? v : v.substring(1, end);
        }
        int colon = v.indexOf(':');
        if (colon >= 0 && colon == v.lastIndexOf(':')) {
            v = v.substring(0, colon);
        }
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    /** Loopback by its name or address literal, without asking DNS: what a Host header may say. */
    static boolean isLoopbackLiteral(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** Whether every address the listen host stands for is a loopback one; no host means every interface. */
    static boolean isLoopback(String listenHost) {
        if (listenHost == null || isWildcard(hostPart(listenHost))) {
            return false;
        }
        String host = hostPart(listenHost);
        if (isLoopbackLiteral(host)) {
            return true;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
