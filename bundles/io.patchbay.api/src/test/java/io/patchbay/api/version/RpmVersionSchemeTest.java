package io.patchbay.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rpm ordering, checked against librpm itself (rpm's embedded Lua, rpm.vercmp). */
class RpmVersionSchemeTest {
    private static final VersionScheme RPM = VersionSchemes.get("rpm");

    /** EVRs as RHEL, Fedora, SUSE and EPEL ship them. */
    static final List<String> REAL = List.of("1:3.0.7-25.el9_3", "1:3.0.7-24.el9", "1:3.0.1-47.el9_1",
            "2.34-83.el9_3.7", "2.34-83.el9_3.12", "2.34-100.el9", "5.14.0-362.18.1.el9_3", "5.14.0-362.8.1.el9_3",
            "5.14.0-70.13.1.el9_0", "4.18.0-513.11.1.el8_9", "252-18.el9", "252-18.el9_3.1", "0.9.9~rc1-3.fc39",
            "0.9.9-1.fc39", "1.2.3^20240101git1234abc-1.fc40", "1.2.3-1.fc40", "2:8.2.2637-20.el9_1",
            "2:9.0.2081-1.fc39", "1.1.1k-12.el8_9", "1.1.1k-9.el8_7", "3.6.8-56.el8_9.3", "1.13.1-1.el9",
            "7.76.1-26.el9_3.2", "7.76.1-26.el9", "1:1.20.1-1.el9", "15.2-1.el9", "0.20.1-0.3.beta2.el9",
            "0.20.1-1.el9", "10.2.0-1.module+el8.9.0+20660+39df8a04", "6.0.0-4.module_el8.9.0+3671+5e06d5a1",
            "2.02-150.el8", "2.06-70.el9_3.2", "1.0-0.1.rc1", "1.0-1", "1.0", "1.0a-1", "1.0.0-1");

    @BeforeAll
    static void rpmIsHere() {
        assertTrue(RealTools.onPath("rpm"), "rpm is needed for the differential test (apt-get install rpm)");
    }

    @Test
    void knownOrderings() {
        assertTrue(RPM.compare("1.0~rc1-1", "1.0-1") < 0);
        assertTrue(RPM.compare("1.0^git1-1", "1.0-1") > 0);
        assertTrue(RPM.compare("1.0^git1-1", "1.0.1-1") < 0);
        assertTrue(RPM.compare("1:1.0-1", "2.0-1") > 0);
        assertTrue(RPM.compare("1.0-1.el9_3", "1.0-1.el9") > 0);
        assertTrue(RPM.compare("1.10-1", "1.9-1") > 0);
        assertTrue(RPM.compare("1.0a-1", "1.0.1-1") < 0, "a letter run is older than a digit run");
        assertEquals(0, RPM.compare("1.0-1", "1.0"), "a missing release matches any release");
        assertEquals(0, RPM.compare("0:1.0-1", "1.0-1"));
        assertEquals(0, RPM.compare("1.01-1", "1.1-1"));
        assertEquals(0, RPM.compare("1_0-1", "1.0-1"), "separators other than ~ and ^ only separate");
    }

    @Test
    void malformedVersionsAreRefusedWithTheReason() {
        assertThrows(InvalidVersionException.class, () -> RPM.validate(""));
        assertTrue(assertThrows(InvalidVersionException.class, () -> RPM.validate("1.0-")).getMessage()
                .contains("release"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> RPM.validate("x:1.0")).getMessage()
                .contains("epoch"));
        assertTrue(assertThrows(InvalidVersionException.class, () -> RPM.validate("1.0 -1")).getMessage()
                .contains("' '"));
    }

    @Test
    void agreesWithLibrpmOnGeneratedAndRealVersions() throws Exception {
        Random r = new Random(42);
        String alphabet = "0123456789001.._+~^abcxyzAZ";
        List<String> versions = new ArrayList<>(REAL);
        while (versions.size() < 500) {
            StringBuilder v = new StringBuilder();
            if (r.nextInt(6) == 0) {
                v.append(r.nextInt(3)).append(':');
            }
            v.append(RealTools.random(r, alphabet, 1, 8));
            if (r.nextInt(3) > 0) {
                v.append('-').append(RealTools.random(r, alphabet, 1, 6));
            }
            if (RPM.isValid(v.toString())) {
                versions.add(v.toString());
            }
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            String a = versions.get(r.nextInt(versions.size()));
            String b = switch (i % 4) {
            case 0 -> a + (r.nextBoolean() ? "~" : "^");
            case 1 -> a.replaceFirst("\\d", String.valueOf(r.nextInt(10)));
            default -> versions.get(r.nextInt(versions.size()));
            };
            if (RPM.isValid(b)) {
                pairs.add(new String[] { a, b });
            }
        }
        List<Integer> expected = RealTools.rpm(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i)[0];
            String b = pairs.get(i)[1];
            assertEquals(expected.get(i), Integer.signum(RPM.compare(a, b)), a + " vs " + b);
        }
        assertTrue(pairs.size() > 3500, "compared " + pairs.size());
    }
}
