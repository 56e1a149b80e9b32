package io.patchbay.thirdparty.winget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.catalog.DetectionDTO;
import io.patchbay.api.catalog.InstallerDTO;

class ManifestReaderTest {

    private static ManifestReader.Result read() throws Exception {
        return ManifestReader.read(Path.of(ManifestReaderTest.class.getResource("/manifests").toURI()));
    }

    @Test
    void mergesMultiFileManifestsPerVersion() throws Exception {
        Map<String, AppDTO> apps = read().apps().stream().collect(Collectors.toMap(a -> a.id, Function.identity()));
        AppDTO firefox = apps.get("Mozilla.Firefox");
        assertEquals("Mozilla Firefox", firefox.name);
        assertEquals("Mozilla", firefox.publisher);
        assertEquals("winget", firefox.versionScheme);
        assertEquals(List.of("121.0", "122.0"), firefox.releases.stream().map(r -> r.version).toList());
        assertEquals("https://www.mozilla.org/firefox/122.0/releasenotes/", firefox.releases.get(1).notesUrl);
        InstallerDTO x64 = firefox.releases.get(1).installers.stream().filter(i -> i.architecture.equals("x64"))
                .findFirst().orElseThrow();
        assertEquals("windows", x64.platform);
        assertEquals(InstallerDTO.EXE, x64.type, "nullsoft installers are exe installers");
        assertEquals("/S /PreventRebootRequired=true", x64.silentArgs);
        assertEquals("machine", x64.scope, "manifest-level fields apply to every installer");
        assertTrue(x64.url.contains("win64") && x64.url.contains("122.0"), x64.url);
        assertEquals(64, x64.sha256.length());
        DetectionDTO first = firefox.detection.get(0);
        assertEquals(DetectionDTO.WINDOWS_UNINSTALL, first.kind);
        assertEquals("Mozilla Firefox (x64 en-US)", first.displayName);
        assertEquals("Mozilla", first.publisher);
    }

    @Test
    void readsSingletonManifestsWithReturnCodesAndProductCodes() throws Exception {
        AppDTO sevenZip = read().apps().stream().filter(a -> a.id.equals("7zip.7zip")).findFirst().orElseThrow();
        assertEquals("23.10", sevenZip.releases.get(0).version, "an unquoted 23.10 stays 23.10");
        InstallerDTO msi = sevenZip.releases.get(0).installers.get(0);
        assertEquals(InstallerDTO.MSI, msi.type);
        assertEquals("ALLUSERS=1", msi.silentArgs);
        assertEquals(List.of(3010), msi.rebootCodes);
        assertEquals(List.of(0), msi.successCodes);
        assertTrue(sevenZip.detection.stream().anyMatch(d -> "{23170F69-40C1-2702-2310-000001000000}"
                .equals(d.productCode)), "the product code detects the MSI install");
    }

    @Test
    void malformedManifestsAreSkippedWithAWarningNamingTheFile() throws Exception {
        ManifestReader.Result r = read();
        assertEquals(List.of("7zip.7zip", "Mozilla.Firefox"), r.apps().stream().map(a -> a.id).sorted().toList());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("b/Broken/Yaml/1.0/Broken.Yaml.yaml: not valid YAML")),
                r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("b/Broken/Missing/1.0/Broken.Missing.yaml: ")
                && w.contains("PackageVersion")), r.warnings().toString());
    }
}
