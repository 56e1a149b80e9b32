package io.patchbay.source.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.catalog.DetectionDTO;

/** Detection against fixtures that follow the documented formats of reg query and Info.plist. */
class DetectorTest {
    @TempDir
    Path empty;

    private static String fixture(String name) throws Exception {
        return new String(DetectorTest.class.getResourceAsStream("/fixtures/" + name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    private static DetectionDTO windows(String displayName, String publisher, String productCode) {
        DetectionDTO d = new DetectionDTO();
        d.kind = DetectionDTO.WINDOWS_UNINSTALL;
        d.displayName = displayName;
        d.publisher = publisher;
        d.productCode = productCode;
        return d;
    }

    private FixtureHost windowsDevice() throws Exception {
        return new FixtureHost(empty).answer("reg query " + Detector.UNINSTALL_KEYS.get(0) + " /s", 0,
                fixture("reg-query-hklm.txt")).answer("reg query " + Detector.UNINSTALL_KEYS.get(1) + " /s", 1, "")
                .answer("reg query " + Detector.UNINSTALL_KEYS.get(2) + " /s", 0, "\r\n");
    }

    @Test
    void readsRegQueryOutput() throws Exception {
        List<Detector.UninstallEntry> entries = Detector.parseRegQuery(fixture("reg-query-hklm.txt"));
        assertEquals(4, entries.size());
        assertEquals("7-Zip", entries.get(0).key());
        assertEquals("7-Zip 23.01 (x64)", entries.get(0).value("DisplayName"));
        assertEquals("\"C:\\Program Files\\7-Zip\\Uninstall.exe\"", entries.get(0).value("UninstallString"));
        assertEquals("{AC76BA86-7AD7-1033-7B44-AC0F074E4100}", entries.get(1).key());
        assertEquals("", entries.get(1).value("AuthorizedCDFPrefix"));
    }

    @Test
    void findsWindowsAppsByDisplayNamePublisherOrProductCode() throws Exception {
        Detector d = new Detector(windowsDevice());
        assertEquals(Optional.of("121.0"), d.detect(List.of(windows("Mozilla Firefox*", "Mozilla", null)), "windows"));
        assertEquals(Optional.of("23.01"), d.detect(List.of(windows("7-zip *", null, null)), "windows"));
        assertEquals(Optional.of("23.006.20380"), d.detect(List.of(windows(null, null,
                "{ac76ba86-7ad7-1033-7b44-ac0f074e4100}")), "windows"));
        assertEquals(Optional.empty(), d.detect(List.of(windows("Mozilla Firefox*", "Someone Else", null)),
                "windows"));
        assertEquals(Optional.empty(), d.detect(List.of(windows("Mozilla Maintenance Service", null, null)),
                "windows"), "an entry without DisplayVersion has no version");
        assertEquals(Optional.empty(), d.detect(List.of(windows("7-zip *", null, null)), "linux"),
                "Windows rules are not tried on other platforms");
    }

    @Test
    void findsMacAppsByBundleIdFromInfoPlist() throws Exception {
        Path root = Path.of(DetectorTest.class.getResource("/fixtures/macos").toURI());
        Detector d = new Detector(new FixtureHost(root));
        DetectionDTO slack = new DetectionDTO();
        slack.kind = DetectionDTO.MACOS_BUNDLE;
        slack.bundleId = "com.tinyspeck.slackmacgap";
        assertEquals(Optional.of("4.36.140"), d.detect(List.of(slack), "macos"));
        DetectionDTO firefox = new DetectionDTO();
        firefox.kind = DetectionDTO.MACOS_BUNDLE;
        firefox.bundlePath = "/Applications/Firefox.app";
        assertEquals(Optional.of("121.0"), d.detect(List.of(firefox), "macos"));
        DetectionDTO absent = new DetectionDTO();
        absent.kind = DetectionDTO.MACOS_BUNDLE;
        absent.bundleId = "com.example.absent";
        assertEquals(Optional.empty(), d.detect(List.of(absent), "macos"));
    }

    @Test
    void findsVersionsInFiles() throws Exception {
        Files.createDirectories(empty.resolve("opt/tool"));
        Files.writeString(empty.resolve("opt/tool/release.txt"), "Tool release 2.4.1 (build 77)\n");
        DetectionDTO rule = new DetectionDTO();
        rule.kind = DetectionDTO.FILE;
        rule.path = "/opt/tool/release.txt";
        rule.versionPattern = "release (\\S+)";
        assertEquals(Optional.of("2.4.1"), new Detector(new FixtureHost(empty)).detect(List.of(rule), "linux"));
        assertTrue(Detector.applies(List.of(rule), "windows"));
    }

    private static DetectionDTO linuxPackage(String name) {
        DetectionDTO d = new DetectionDTO();
        d.kind = DetectionDTO.LINUX_PACKAGE;
        d.packageName = name;
        return d;
    }

    @Test
    void aCatalogPackageNameThatIsAnOptionNeverReachesDpkgOrRpm() throws Exception {
        FixtureHost device = new FixtureHost(empty);
        Detector d = new Detector(device);
        for (String hostile : List.of("--admindir=/tmp/fake", "-oDPkg::Pre-Invoke::=id", "-qa", "a b")) {
            assertEquals(Optional.empty(), d.detect(List.of(linuxPackage(hostile)), "linux"));
        }
        assertEquals(List.of(), device.ran, "no package tool was run");

        d.detect(List.of(linuxPackage("firefox-esr")), "linux");
        assertEquals(2, device.ran.size(), "dpkg-query, then rpm: " + device.ran);
        for (List<String> argv : device.ran) {
            assertEquals(List.of("--", "firefox-esr"), argv.subList(argv.size() - 2, argv.size()),
                    "the name comes after --: " + argv);
        }
    }
}
