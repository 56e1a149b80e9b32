package io.patchbay.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OtherSchemesTest {

    private static void assertAscending(VersionScheme s, String... versions) {
        for (int i = 0; i + 1 < versions.length; i++) {
            assertTrue(s.compare(versions[i], versions[i + 1]) < 0, versions[i] + " < " + versions[i + 1]);
            assertTrue(s.compare(versions[i + 1], versions[i]) > 0, versions[i + 1] + " > " + versions[i]);
        }
    }

    @Test
    void semverFollowsTheSpecificationsPrecedenceExample() {
        // the example list of semver.org 2.0.0, item 11
        assertAscending(VersionSchemes.get("semver"), "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1",
                "10.0.0", "18446744073709551616.0.0");
        assertEquals(0, VersionSchemes.get("semver").compare("1.0.0+build.1", "1.0.0+build.2"));
        for (String bad : List.of("1.0", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "1.0.0+")) {
            assertThrows(InvalidVersionException.class, () -> VersionSchemes.get("semver").validate(bad), bad);
        }
    }

    @Test
    void windowsAndMacosCompareNumberByNumber() {
        VersionScheme windows = VersionSchemes.get("windows");
        assertAscending(windows, "6.1.7601", "10.0.19045.3803", "10.0.22621.2861", "10.0.22631.3007",
                "10.0.22631.30070");
        assertEquals(0, windows.compare("10.0", "10.0.0.0"));
        assertEquals(0, windows.compare("10.01", "10.1"));
        VersionScheme macos = VersionSchemes.get("macos");
        assertAscending(macos, "10.15.7", "11.7.10", "13.6.3", "14", "14.2", "14.2.1", "14.10");
        for (String bad : List.of("", "14.2b", "14..2", ".14", "14.2 (23C71)")) {
            assertThrows(InvalidVersionException.class, () -> macos.validate(bad), bad);
        }
    }

    @Test
    void unknownSchemesAreNamedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionSchemes.get("ebuild"));
        assertTrue(e.getMessage().contains("deb, macos, rpm, semver, windows, winget"), e.getMessage());
    }
}
