package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ReachabilityTest {

    private static Reachability of(Map<String, String> properties) {
        return Reachability.of(properties::get);
    }

    @Test
    void theApiIsServedOnLoopbackOnly() {
        for (String host : new String[] { "127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1" }) {
            assertTrue(of(Map.of(Reachability.LISTEN_HOST, host)).refusal().isEmpty(), host);
        }
        for (String host : new String[] { "0.0.0.0", "::", "192.168.1.20", "10.0.0.1" }) {
            String why = of(Map.of(Reachability.LISTEN_HOST, host)).refusal().orElseThrow();
            assertTrue(why.contains(host) && why.contains(Reachability.BEHIND_PROXY), why);
        }
        assertTrue(of(Map.of()).refusal().isPresent(), "no host means every interface");
    }

    @Test
    void servingTheNetworkNeedsHttpsAloneOrAReverseProxy() {
        assertTrue(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0", Reachability.BEHIND_PROXY, "true")).refusal()
                .isEmpty());
        assertTrue(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0", Reachability.BEHIND_PROXY, "yes")).refusal()
                .isPresent());
        assertTrue(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0", "patchbay.http.allowRemote", "true")).refusal()
                .isPresent(), "the opt-in of the time before authentication is gone");
        assertTrue(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0", Reachability.HTTPS_ENABLE, "true")).refusal()
                .isPresent(), "plain HTTP still listens beside HTTPS");
        assertTrue(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0", Reachability.HTTPS_ENABLE, "true",
                Reachability.HTTP_ENABLE, "false")).refusal().isEmpty());
    }

    @Test
    void onlyRequestsForThisServersNamesAreAnswered() {
        Reachability r = of(Map.of(Reachability.LISTEN_HOST, "10.0.0.5", Reachability.BEHIND_PROXY, "true",
                Reachability.ALLOWED_HOSTS, "patchbay.example.org, Console.Example.org:8443"));
        for (String host : new String[] { "localhost:8080", "127.0.0.1", "[::1]:8080", "10.0.0.5:8080",
                "patchbay.example.org", "PATCHBAY.example.org.:8080", "console.example.org" }) {
            assertTrue(r.acceptsHost(host), host);
        }
        for (String host : new String[] { "attacker.example.com", "patchbay.example.org.attacker.com", "10.0.0.6",
                "", "0.0.0.0" }) {
            assertFalse(r.acceptsHost(host), host);
        }
        assertFalse(r.acceptsHost(null));
        assertFalse(of(Map.of(Reachability.LISTEN_HOST, "0.0.0.0")).acceptsHost("0.0.0.0:8080"));
    }
}
