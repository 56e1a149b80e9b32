package io.patchbay.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deb ordering, checked against dpkg itself. */
class DebVersionSchemeTest {
    private static final VersionScheme DEB = VersionSchemes.get("deb");

    @BeforeAll
    static void dpkgIsHere() {
        assertTrue(RealTools.onPath("dpkg"), "dpkg is needed for the differential test (apt-get install dpkg)");
    }

    @Test
    void knownOrderings() {
        String[] ascending = { "1.0~~", "1.0~", "0:1.0~rc1-1", "1.0", "1.0-0.1", "1.0-1", "1.0-1ubuntu0.1",
                "1.0-1+deb12u1", "1.0a", "1.0+dfsg-1", "1.1", "1.10", "2:0.1" };
        for (int i = 0; i + 1 < ascending.length; i++) {
            assertTrue(DEB.compare(ascending[i], ascending[i + 1]) < 0, ascending[i] + " < " + ascending[i + 1]);
            assertTrue(DEB.compare(ascending[i + 1], ascending[i]) > 0, ascending[i + 1] + " > " + ascending[i]);
        }
        assertEquals(0, DEB.compare("1.0", "0:1.0-0"));
        assertEquals(0, DEB.compare("1.001", "1.1"));
    }

    @Test
    void malformedVersionsAreRefusedWithTheReason() {
        assertThrows(InvalidVersionException.class, () -> DEB.validate(""));
        assertTrue(assertThrows(InvalidVersionException.class, () -> DEB.validate("a:1.0")).getMessage()
                .contains("epoch"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> DEB.validate("1.0-")).getMessage()
                .contains("revision"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> DEB.validate("1.0 beta")).getMessage()
                .contains("white space"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> DEB.validate("1.0-1_2")).getMessage()
                .contains("'_'"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> DEB.compare("beta", "1.0")).getMessage()
                .contains("start with a digit"));
    }

    static String generated(Random r) {
        String body = "0123456789012345.+~abcAZ";
        StringBuilder v = new StringBuilder();
        if (r.nextInt(5) == 0) {
            v.append(r.nextInt(3)).append(':');
        }
        v.append(r.nextInt(12)).append(RealTools.random(r, body + "-", 0, 7).replaceAll("-$", ""));
        if (r.nextBoolean()) {
            v.append('-').append(RealTools.random(r, body, 1, 5));
        }
        return v.toString();
    }

    @Test
    void agreesWithDpkgOnGeneratedVersions() throws Exception {
        Random r = new Random(20261121);
        List<String> versions = new ArrayList<>();
        while (versions.size() < 400) {
            String v = generated(r);
            if (DEB.isValid(v)) {
                versions.add(v);
            }
        }
        int checked = 0;
        for (int i = 0; i < 1500; i++) {
            String a = versions.get(r.nextInt(versions.size()));
            // half the pairs are near neighbours: one small edit, where orderings are subtle
            String b = i % 2 == 0 ? versions.get(r.nextInt(versions.size())) : a + (r.nextBoolean() ? "~" : "0");
            if (!DEB.isValid(b)) {
                continue;
            }
            assertEquals(RealTools.dpkg(a, b), Integer.signum(DEB.compare(a, b)), a + " vs " + b);
            checked++;
        }
        assertTrue(checked > 1200, "checked " + checked);
    }

    @Test
    void agreesWithDpkgOnTheVersionsInstalledOnThisMachine() throws Exception {
        Process p = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}\\n").start();
        List<String> installed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(s -> !s.isBlank()).distinct().toList();
        assertTrue(installed.size() > 20, "expected a Debian machine with packages: " + installed.size());
        Random r = new Random(7);
        for (int i = 0; i < 600; i++) {
            String a = installed.get(r.nextInt(installed.size()));
            String b = installed.get(r.nextInt(installed.size()));
            assertEquals(RealTools.dpkg(a, b), Integer.signum(DEB.compare(a, b)), a + " vs " + b);
        }
    }
}
