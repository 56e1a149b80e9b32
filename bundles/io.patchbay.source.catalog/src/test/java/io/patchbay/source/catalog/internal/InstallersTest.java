package io.patchbay.source.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.source.Command;

/** The command lines for installers inside zip archives (winget's NestedInstallerType). */
class InstallersTest {
    private static InstallerDTO zip(String nestedType, String nestedFile, String silentArgs) {
        InstallerDTO i = new InstallerDTO();
        i.platform = "windows";
        i.type = InstallerDTO.ZIP;
        i.nestedInstallerType = nestedType;
        i.nestedInstallerFile = nestedFile;
        i.silentArgs = silentArgs;
        return i;
    }

    private static String script(Command c) {
        assertEquals(List.of("powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command"),
                c.argv().subList(0, 6));
        return c.argv().get(6);
    }

    @Test
    void aNestedExeIsExtractedAndRunWithItsSwitches() {
        Command c = Installers.command(new FixtureHost(Path.of("/")), zip(InstallerDTO.EXE,
                "PrettyReMarkV1.13.setup.exe", "/VERYSILENT /NORESTART"), Path.of("C:/cache/abc-setup.zip"), false);
        String s = script(c);
        assertTrue(s.contains("Expand-Archive -LiteralPath 'C:/cache/abc-setup.zip' -DestinationPath $dir"), s);
        assertTrue(s.contains("$installer = Join-Path $dir 'PrettyReMarkV1.13.setup.exe'"), s);
        assertTrue(s.contains("Start-Process -FilePath $installer -ArgumentList '/VERYSILENT /NORESTART' -Wait"), s);
        assertTrue(s.contains("exit $code"), s);
        assertTrue(s.indexOf("Remove-Item") < s.indexOf("exit $code"), "the folder is removed before exiting");
    }

    @Test
    void aNestedMsiRunsThroughMsiexecQuietly() {
        String s = script(Installers.command(new FixtureHost(Path.of("/")), zip(InstallerDTO.MSI, "dist/app.msi",
                "ALLUSERS=1"), Path.of("/cache/app.zip"), false));
        assertTrue(s.contains("Join-Path $dir 'dist\\app.msi'"), s);
        assertTrue(s.contains("'msiexec.exe' -ArgumentList ('/i \"' + $installer + '\" /qn /norestart' + ' ALLUSERS=1')"),
                s);
    }

    @Test
    void quotesInPathsAndSwitchesStayText() {
        String s = script(Installers.command(new FixtureHost(Path.of("/")), zip(InstallerDTO.EXE, "it's.exe",
                "/D='x'; Remove-Item C:\\"), Path.of("/cache/a.zip"), false));
        assertTrue(s.contains("Join-Path $dir 'it''s.exe'"), s);
        assertTrue(s.contains("-ArgumentList '/D=''x''; Remove-Item C:\\'"), s);
    }

    @Test
    void aNestedPathThatLeavesTheArchiveIsRefused() {
        for (String bad : List.of("..\\..\\Windows\\evil.exe", "C:\\Windows\\evil.exe", "/etc/evil", "\\\\host\\x.exe",
                "a/../../b.exe", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Installers.command(new FixtureHost(Path.of("/")), zip(InstallerDTO.EXE, bad, null),
                            Path.of("/cache/a.zip"), false), bad);
            assertTrue(e.getMessage().contains("not a plain path inside the archive"), e.getMessage());
        }
    }

    @Test
    void aZipWithoutNestedInstallerIsUnpacked() {
        InstallerDTO plain = zip(null, null, null);
        plain.installLocation = "/opt/tool";
        assertEquals(List.of("unzip", "-o", "-q", "/cache/a.zip", "-d", "/opt/tool"),
                Installers.command(new FixtureHost(Path.of("/")), plain, Path.of("/cache/a.zip"), false).argv());
    }

    @Test
    void packageFilesComeAfterDoubleDashSoACatalogCannotPassOptions() {
        FixtureHost device = new FixtureHost(Path.of("/"));
        for (String type : List.of(InstallerDTO.DEB, InstallerDTO.RPM, InstallerDTO.PORTABLE)) {
            InstallerDTO i = new InstallerDTO();
            i.type = type;
            i.installLocation = "/opt/tool";
            List<String> argv = Installers.command(device, i, Path.of("/cache/--force-all"), false).argv();
            int file = argv.indexOf("/cache/--force-all");
            assertEquals("--", argv.get(file - 1), argv.toString());
        }
    }
}
