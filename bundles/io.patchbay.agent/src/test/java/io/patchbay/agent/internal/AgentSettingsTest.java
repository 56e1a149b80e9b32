package io.patchbay.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AgentSettingsTest {
    static AgentSettings read(Map<String, String> p) {
        return AgentSettings.read(p::get).orElseThrow();
    }

    @Test
    void withoutAServerTheAgentIsIdle() {
        assertTrue(AgentSettings.read(k -> null).isEmpty());
    }

    @Test
    void plainHttpIsForLoopbackOrWithTheFlag() {
        assertNull(AgentSettings.plainHttpProblem(URI.create("http://127.0.0.1:8080"), false));
        assertNull(AgentSettings.plainHttpProblem(URI.create("http://localhost:8080"), false));
        assertNull(AgentSettings.plainHttpProblem(URI.create("http://[::1]:8080"), false));
        assertNull(AgentSettings.plainHttpProblem(URI.create("https://patchbay.example.com"), false));
        assertTrue(AgentSettings.plainHttpProblem(URI.create("http://192.0.2.10:8080"), false)
                .contains("--allow-plain-http"));
        assertNull(AgentSettings.plainHttpProblem(URI.create("http://192.0.2.10:8080"), true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(Map.of(
                AgentSettings.SERVER, "http://192.0.2.10:8080", AgentSettings.STATE, "/tmp/x")));
        assertTrue(e.getMessage().startsWith("plain HTTP to http://192.0.2.10:8080 is refused"), e.getMessage());
    }

    @Test
    void theServerUrlIsCheckedAndItsTrailingSlashDropped() {
        assertEquals(URI.create("https://p.example.com/base"), AgentSettings.serverUri("https://p.example.com/base/"));
        assertThrows(IllegalArgumentException.class, () -> AgentSettings.serverUri("ftp://p.example.com"));
        assertThrows(IllegalArgumentException.class, () -> AgentSettings.serverUri("https://p.example.com/?a=b"));
        assertThrows(IllegalArgumentException.class, () -> AgentSettings.serverUri("p.example.com"));
    }

    @Test
    void theStateFolderIsRequiredAndThePinIsHex() {
        assertThrows(IllegalArgumentException.class, () -> read(Map.of(AgentSettings.SERVER, "http://127.0.0.1:1")));
        AgentSettings s = read(Map.of(AgentSettings.SERVER, "http://127.0.0.1:1", AgentSettings.STATE, "/tmp/x",
                AgentSettings.PIN_SHA256, "AB:".repeat(31) + "AB", AgentSettings.ROOT, "/tmp/dev"));
        assertEquals(32, s.pinSha256().length);
        assertEquals("/tmp/dev", s.root().toString());
        assertThrows(IllegalArgumentException.class, () -> AgentSettings.pin("abc"));
    }
}
