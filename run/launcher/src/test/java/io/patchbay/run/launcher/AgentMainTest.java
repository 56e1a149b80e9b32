package io.patchbay.run.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
    @TempDir
    Path dir;

    static Map<String, String> parse(String... args) {
        return AgentMain.parse(args, AgentMain::readConfig);
    }

    static InetAddress[] resolve(String host) {
        try {
            return switch (host) {
            case "localhost" -> new InetAddress[] { InetAddress.getByName("127.0.0.1") };
            case "patchbay.lan" -> new InetAddress[] { InetAddress.getByName("192.168.1.5") };
            default -> InetAddress.getAllByName(host);
            };
        } catch (java.net.UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    @Test
    void theCommandLineIsParsedInBothSpellings() {
        Map<String, String> s = parse("--server", "https://p.example.com", "--token=abc", "--state", "/var/lib/x",
                "--root", "/srv/dev", "--allow-plain-http", "--pin-sha256", "ab".repeat(32));
        assertEquals("https://p.example.com", s.get("server"));
        assertEquals("abc", s.get("token"));
        assertEquals("/var/lib/x", s.get("state"));
        assertEquals("/srv/dev", s.get("root"));
        assertEquals("true", s.get("allow-plain-http"));
        assertEquals("ab".repeat(32), s.get("pin-sha256"));
    }

    @Test
    void unknownOptionsAndMissingValuesAreNamed() {
        assertEquals("unknown option --sever",
                assertThrows(IllegalArgumentException.class, () -> parse("--sever", "x")).getMessage());
        assertEquals("--token needs a value",
                assertThrows(IllegalArgumentException.class, () -> parse("--token", "--state", "x")).getMessage());
        assertEquals("unexpected argument 'extra'",
                assertThrows(IllegalArgumentException.class, () -> parse("extra")).getMessage());
    }

    @Test
    void aConfigFileGivesTheSameKeysAndTheCommandLineWins() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "from-file\n");
        Path config = Files.writeString(dir.resolve("agent.properties"), "server=https://p.example.com\n"
                + "token-file=" + token + "\nstate=/var/lib/patchbay-agent\n");
        Map<String, String> s = parse("--config", config.toString(), "--state", "/tmp/other");
        assertEquals("https://p.example.com", s.get("server"));
        assertEquals("from-file", s.get("token"));
        assertEquals("/tmp/other", s.get("state"));
        Path bad = Files.writeString(dir.resolve("bad.properties"), "servr=x\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--config", bad.toString())).getMessage()
                .startsWith("unknown key 'servr'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--config", dir.resolve("none")
                .toString())).getMessage().contains("cannot be read"));
        assertEquals(null, parse("--server", "https://x", "--token-file", dir.resolve("gone").toString()).get("token"),
                "a token file removed after the enrollment gives no token");
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--server", "https://x", "--token-file",
                empty.toString())).getMessage().contains("is empty"));
    }

    @Test
    void plainHttpGoesToLoopbackOnlyUnlessAllowed() {
        Map<String, String> s = new HashMap<>(Map.of("server", "http://patchbay.lan:8080", "state", "/tmp/s"));
        String problem = AgentMain.problem(s, AgentMainTest::resolve);
        assertTrue(problem.startsWith("plain HTTP to http://patchbay.lan:8080 is refused"), problem);
        s.put("allow-plain-http", "true");
        assertNull(AgentMain.problem(s, AgentMainTest::resolve));
        assertNull(AgentMain.problem(Map.of("server", "http://localhost:8080", "state", "/tmp/s"),
                AgentMainTest::resolve));
        assertNull(AgentMain.problem(Map.of("server", "http://127.0.0.1:8080", "state", "/tmp/s"),
                AgentMainTest::resolve));
        assertNull(AgentMain.problem(Map.of("server", "https://patchbay.lan", "state", "/tmp/s"),
                AgentMainTest::resolve));
        assertTrue(AgentMain.problem(Map.of("server", "http://unresolvable.invalid", "state", "/tmp/s"),
                AgentMainTest::resolve).startsWith("plain HTTP"));
    }

    @Test
    void requiredSettingsAndMalformedValuesAreNamed() {
        assertTrue(AgentMain.problem(Map.of("state", "/tmp/s"), AgentMainTest::resolve).startsWith("--server"));
        assertTrue(AgentMain.problem(Map.of("server", "https://x"), AgentMainTest::resolve).startsWith("--state"));
        assertTrue(AgentMain.problem(Map.of("server", "ftp://x", "state", "/s"), AgentMainTest::resolve)
                .contains("http:// or https://"));
        assertTrue(AgentMain.problem(Map.of("server", "https://x", "state", "/s", "pin-sha256", "abc"),
                AgentMainTest::resolve).startsWith("--pin-sha256"));
        assertTrue(AgentMain.problem(Map.of("server", "https://x", "state", "/s", "root", dir.resolve("no")
                .toString()), AgentMainTest::resolve).startsWith("--root"));
    }

    @Test
    void theSettingsBecomeFrameworkPropertiesAndTheStorageStaysInTheStateFolder() {
        Properties p = new Properties();
        AgentMain.apply(Map.of("server", "https://p.example.com", "token", "t", "root", "/srv/dev"), dir, p);
        assertEquals("https://p.example.com", p.getProperty("patchbay.agent.server"));
        assertEquals("t", p.getProperty("patchbay.agent.token"));
        assertEquals(dir.toString(), p.getProperty("patchbay.agent.state"));
        assertEquals("/srv/dev", p.getProperty("patchbay.agent.root"));
        assertEquals("false", p.getProperty("patchbay.agent.allowPlainHttp"));
        assertEquals(dir.resolve("framework").toString(), p.getProperty(Main.STORAGE));
        assertEquals(dir.resolve("data").toString(), p.getProperty(Main.DATA));
        assertEquals("true", p.getProperty(Main.KEEP));
    }
}
