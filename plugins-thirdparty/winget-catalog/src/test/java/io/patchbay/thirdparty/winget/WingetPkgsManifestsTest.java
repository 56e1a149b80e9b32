package io.patchbay.thirdparty.winget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.catalog.ReleaseDTO;

/** Manifests of the winget community repository (see winget-pkgs/README.md), read as winget reads them. */
class WingetPkgsManifestsTest {
    @TempDir
    Path tmp;

    private static Map<String, AppDTO> apps(Path folder) throws Exception {
        return ManifestReader.read(folder).apps().stream().collect(Collectors.toMap(a -> a.id, Function.identity()));
    }

    private static Path wingetPkgs() throws Exception {
        return Path.of(WingetPkgsManifestsTest.class.getResource("/winget-pkgs").toURI());
    }

    private static InstallerDTO installer(ReleaseDTO release, String arch, String urlPart) {
        return release.installers.stream().filter(i -> i.architecture.equals(arch) && i.url.contains(urlPart))
                .findFirst().orElseThrow(() -> new AssertionError("no " + arch + " " + urlPart + " installer"));
    }

    @Test
    void aZipWithANestedInnoInstallerIsExtractedAndItsInstallerRun() throws Exception {
        AppDTO app = apps(wingetPkgs()).get("DerellLicht.PrettyReMark");
        ReleaseDTO release = app.releases.get(0);
        assertEquals("1.13", release.version, "an unquoted 1.13 stays 1.13");
        InstallerDTO zip = release.installers.get(0);
        assertEquals(InstallerDTO.ZIP, zip.type);
        assertEquals(InstallerDTO.EXE, zip.nestedInstallerType, "Inno Setup installers are exe installers");
        assertEquals("PrettyReMarkV1.13.setup.exe", zip.nestedInstallerFile);
        assertEquals("/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-", zip.silentArgs,
                "the nested installer's technology gives the silent switches");
        assertEquals("user", zip.scope);
    }

    @Test
    void rootSwitchesMergeWithTheInstallersDefaults() throws Exception {
        AppDTO code = apps(wingetPkgs()).get("Microsoft.VisualStudioCode");
        ReleaseDTO release = code.releases.stream().filter(r -> r.version.equals("1.100.0")).findFirst()
                .orElseThrow();
        InstallerDTO x64 = installer(release, "x64", "VSCodeUserSetup-x64");
        assertEquals("/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP- /mergetasks=!runcode", x64.silentArgs);
    }

    @Test
    void anUnusualVersionNeitherHidesThePackageNorMisordersIt() throws Exception {
        AppDTO code = apps(wingetPkgs()).get("Microsoft.VisualStudioCode");
        assertEquals("winget", code.versionScheme);
        assertEquals(List.of("1.56.0.cfa2e21810", "1.100.0"), code.releases.stream().map(r -> r.version).toList(),
                "1.100.0 is newer than 1.56.0.cfa2e21810, as winget orders them");
        assertEquals("Microsoft Visual Studio Code", code.name);
    }

    /** The shape an operator reported: Silent at the root, an installer with only Custom of its own. */
    @Test
    void anInstallerWithOnlyCustomKeepsTheRootSilentSwitch() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("manifests/e/Example/Tool/2.0"));
        Files.writeString(dir.resolve("Example.Tool.yaml"), """
                PackageIdentifier: Example.Tool
                PackageVersion: 2.0
                PackageName: Example Tool
                Publisher: Example
                InstallerType: exe
                InstallerSwitches:
                  Silent: /quiet
                  SilentWithProgress: /passive
                Installers:
                - Architecture: x64
                  InstallerUrl: https://example.invalid/tool-2.0-x64.exe
                  InstallerSha256: 0000000000000000000000000000000000000000000000000000000000000001
                  InstallerSwitches:
                    Custom: /norestart ADDLOCAL=All
                - Architecture: x86
                  InstallerUrl: https://example.invalid/tool-2.0-x86.exe
                  InstallerSha256: 0000000000000000000000000000000000000000000000000000000000000002
                  InstallerSwitches:
                    Silent: /s
                ManifestType: singleton
                ManifestVersion: 1.6.0
                """);
        ReleaseDTO release = apps(tmp.resolve("manifests")).get("Example.Tool").releases.get(0);
        assertEquals("/quiet /norestart ADDLOCAL=All", installer(release, "x64", "x64").silentArgs);
        assertEquals("/s", installer(release, "x86", "x86").silentArgs, "an installer's own Silent wins");
        assertNull(installer(release, "x86", "x86").nestedInstallerType);
    }

    @Test
    void aPackageIdentifierOutsideWingetsGrammarIsSkippedWithAWarning() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad/1.0"));
        Files.writeString(dir.resolve("bad.yaml"), """
                PackageIdentifier: --Nope
                PackageVersion: 1.0
                PackageName: Nope
                InstallerType: exe
                Installers:
                - Architecture: x64
                  InstallerUrl: https://example.invalid/nope.exe
                  InstallerSha256: 0000000000000000000000000000000000000000000000000000000000000003
                ManifestType: singleton
                ManifestVersion: 1.6.0
                """);
        ManifestReader.Result r = ManifestReader.read(tmp.resolve("bad"));
        assertEquals(List.of(), r.apps());
        assertTrue(r.warnings().get(0).contains("is not a winget package identifier"), r.warnings().toString());
    }
}
