package io.patchbay.source.catalog.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.source.Command;
import io.patchbay.api.source.Host;

/** The unattended command line for each installer type, as each platform's installer documents it. */
final class Installers {
    static final List<Integer> DEFAULT_SUCCESS = List.of(0);
    /** ERROR_SUCCESS_REBOOT_REQUIRED and ERROR_SUCCESS_REBOOT_INITIATED of Windows Installer. */
    static final List<Integer> DEFAULT_REBOOT = List.of(3010, 1641);

    private Installers() {
    }

    /** The command that installs the file silently; null for a type Patchbay does not know. */
    static Command command(Host host, InstallerDTO installer, Path file, boolean downgrade) {
        String type = installer.type == null ? "" : installer.type.toLowerCase(Locale.ROOT);
        String f = file.toString();
        boolean rooted = !"/".equals(host.root());
        List<String> argv = new ArrayList<>();
        switch (type) {
        case InstallerDTO.DEB -> {
            argv.add("dpkg");
            if (rooted) {
                argv.addAll(List.of("--root=" + host.root(), "--admindir=" + host.root() + "/var/lib/dpkg",
                        "--force-script-chrootless"));
            }
            argv.addAll(List.of("--force-confdef", "--force-confold", "-i", "--", f));
        }
        case InstallerDTO.RPM -> {
            argv.add("rpm");
            if (rooted) {
                argv.add("--root=" + host.root());
            }
            argv.add("-U");
            if (downgrade) {
                argv.add("--oldpackage");
            }
            argv.add("--");
            argv.add(f);
        }
        case InstallerDTO.ZIP -> {
            if (installer.nestedInstallerType != null) {
                return nested(installer, f);
            }
            argv.addAll(List.of("unzip", "-o", "-q", f, "-d", onDevice(host, location(installer))));
        }
        case InstallerDTO.PORTABLE -> argv.addAll(List.of("install", "-D", "-m", "0755", "--", f,
                onDevice(host, location(installer)) + "/" + file.getFileName().toString().replaceFirst("^[0-9a-f]{64}-", "")));
        case InstallerDTO.MSI -> {
            argv.addAll(List.of("msiexec", "/i", f, "/qn", "/norestart"));
            argv.addAll(split(installer.silentArgs));
        }
        case InstallerDTO.EXE -> {
            argv.add(f);
            argv.addAll(split(installer.silentArgs));
        }
        case InstallerDTO.MSIX -> argv.addAll(List.of("powershell", "-NoProfile", "-NonInteractive", "-Command",
                "Add-AppxPackage -ForceApplicationShutdown -Path '" + f.replace("'", "''") + "'"));
        case InstallerDTO.PKG -> argv.addAll(List.of("installer", "-pkg", f, "-target", "/"));
        case InstallerDTO.DMG -> argv.addAll(List.of("sh", "-c", """
                set -e
                m=$(mktemp -d)
                hdiutil attach -nobrowse -readonly -mountpoint "$m" "$1" >/dev/null
                trap 'hdiutil detach "$m" -quiet || true' EXIT
                pkg=$(ls "$m"/*.pkg 2>/dev/null | head -n 1 || true)
                if [ -n "$pkg" ]; then installer -pkg "$pkg" -target /; exit; fi
                app=$(ls -d "$m"/*.app 2>/dev/null | head -n 1 || true)
                [ -n "$app" ] || { echo "the disk image holds neither a .pkg nor an .app" >&2; exit 2; }
                rm -rf "/Applications/$(basename "$app")"
                ditto "$app" "/Applications/$(basename "$app")"
                """, "sh", f));
        default -> {
            return null;
        }
        }
        Command c = Command.of(argv);
        return type.equals(InstallerDTO.DEB) ? c.env("DEBIAN_FRONTEND", "noninteractive") : c;
    }

    /**
     * Extracts the archive to a fresh folder and runs the installer inside it silently (winget's NestedInstallerType),
     * then removes the folder; the command exits with the installer's exit code.
     *
     * @throws IllegalArgumentException when the nested installer's type or path cannot be run safely
     */
    static Command nested(InstallerDTO installer, String archive) {
        String type = installer.nestedInstallerType.toLowerCase(Locale.ROOT);
        String path = installer.nestedInstallerFile;
        if (path == null || path.isBlank() || path.startsWith("/") || path.startsWith("\\") || path.contains(":")
                || path.chars().anyMatch(c -> c < 0x20)
                || List.of(path.split("[/\\\\]")).contains("..")) {
            throw new IllegalArgumentException("the nested installer path '" + path + "' is not a plain path inside "
                    + "the archive");
        }
        String args = installer.silentArgs == null ? "" : installer.silentArgs.strip();
        String run = switch (type) {
        case InstallerDTO.EXE -> "$p = Start-Process -FilePath $installer"
                + (args.isEmpty() ? "" : " -ArgumentList " + quoted(args)) + " -Wait -PassThru";
        case InstallerDTO.MSI -> "$p = Start-Process -FilePath 'msiexec.exe' -ArgumentList ('/i \"' + $installer + '\" "
                + "/qn /norestart' + " + quoted(args.isEmpty() ? "" : " " + args) + ") -Wait -PassThru";
        default -> throw new IllegalArgumentException("a zip with a nested '" + installer.nestedInstallerType
                + "' installer is not one Patchbay can run");
        };
        String script = String.join("\n",
                "$ErrorActionPreference = 'Stop'",
                "$dir = Join-Path ([IO.Path]::GetTempPath()) ('patchbay-' + [guid]::NewGuid())",
                "Expand-Archive -LiteralPath " + quoted(archive) + " -DestinationPath $dir -Force",
                "$code = 1",
                "try {",
                "  $installer = Join-Path $dir " + quoted(path.replace('/', '\\')),
                "  " + run,
                "  $code = $p.ExitCode",
                "} finally {",
                "  Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue",
                "}",
                "exit $code");
        return Command.of("powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command",
                script);
    }

    /** A PowerShell single-quoted string: nothing in it is expanded. */
    static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String location(InstallerDTO installer) {
        return installer.installLocation == null || installer.installLocation.isBlank() ? "/opt/patchbay-apps"
                : installer.installLocation;
    }

    private static String onDevice(Host host, String path) {
        return "/".equals(host.root()) ? path : host.root() + path;
    }

    /** Splits installer arguments at white space, keeping double-quoted parts whole. */
    static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : args.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }
}
