package io.patchbay.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The order winget's client gives package versions, from the rules of its Versions.cpp. */
class WingetVersionSchemeTest {
    private static final VersionScheme WINGET = VersionSchemes.get(VersionSchemes.WINGET);

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({ "1.0, 1.1", "1.9, 1.10", "1.0, 1.0.1", "1.2.3, 1.2.10", "1.1-beta, 1.1", "1.1a, 1.1",
            // a trailing 0 is dropped before parts are compared, so here the part with text is the extra one
            "1.0, 1.0-beta",
            "1.0a, 1.0b", "1.0A, 1.0b", "1.56.0, 1.56.0.cfa2e21810", "1.56.0.cfa2e21810, 1.56.1", "Unknown, 0.0.1",
            "99999.0, Latest", "v1.2, 1.3", "1.2, V1.3", "0.9, 1", "2023.10.b, 2023.11", "1.0.0.0.1, 1.0.0.0.2",
            "18446744073709551616, 1", "1.2 , 1.10" })
    void ordersAsWingetDoes(String older, String newer) {
        assertTrue(WINGET.compare(older, newer) < 0, older + " < " + newer);
        assertTrue(WINGET.compare(newer, older) > 0, newer + " > " + older);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({ "1.0, 1", "1.0.0.0, 1", "v1.2, 1.2", "V1.2, 1.2", "1.0A, 1.0a", "Latest, latest",
            "unknown, Unknown", "01.2, 1.2" })
    void equalVersions(String a, String b) {
        assertEquals(0, WINGET.compare(a, b), a + " = " + b);
    }

    @Test
    void everyNonEmptyStringIsAVersion() {
        for (String v : List.of("1.56.0.cfa2e21810", "2023.10.b", "v3", "nightly", "1.0 (x64)", "20.04 LTS")) {
            assertTrue(WINGET.isValid(v), v);
        }
        assertFalse(WINGET.isValid(""));
        assertFalse(WINGET.isValid("  "));
        assertFalse(WINGET.isValid(null));
    }

    @Test
    void sortsARealPackagesVersions() {
        List<String> versions = new ArrayList<>(List.of("1.100.0", "1.56.0.cfa2e21810", "1.56.0", "1.9.1", "1.56.2",
                "1.56.1.e713fe9b05"));
        Collections.shuffle(versions, new java.util.Random(8));
        versions.sort(WINGET);
        assertEquals(List.of("1.9.1", "1.56.0", "1.56.0.cfa2e21810", "1.56.1.e713fe9b05", "1.56.2", "1.100.0"),
                versions);
    }
}
