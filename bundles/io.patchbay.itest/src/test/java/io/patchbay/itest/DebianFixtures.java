package io.patchbay.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real .deb packages built with dpkg-deb, file: repositories indexed with dpkg-scanpackages and apt-ftparchive, and
 * device folders with their own dpkg database and apt configuration.
 */
final class DebianFixtures {
    final Path dir;
    final Path main;
    final Path security;
    final Path loose;

    DebianFixtures(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.main = Files.createDirectories(dir.resolve("repo-main"));
        this.security = Files.createDirectories(dir.resolve("repo-security"));
        this.loose = Files.createDirectories(dir.resolve("loose"));
        deb(main, "hello-pb", "1.0-1", null);
        deb(main, "hello-pb", "1.1-1", null);
        deb(main, "world-pb", "2.0-1", null);
        deb(security, "world-pb", "2.1-1", null);
        deb(main, "broken-pb", "1.0-1", null);
        deb(main, "broken-pb", "1.1-1", "echo 'cannot migrate the settings' >&2; exit 1");
        deb(main, "linux-image-pb", "6.1.0-1", null);
        deb(main, "linux-image-pb", "6.1.1-1", null);
        deb(loose, "gone-pb", "1.0-1", null);
        deb(main, "gone-pb", "1.1-1", null);
        index(main, "Debian", "Debian", "stable");
        index(security, "Debian", "Debian-Security", "stable-security");
    }

    static void deb(Path repo, String name, String version, String postinst)
            throws IOException, InterruptedException {
        Path build = Files.createTempDirectory(repo.getParent(), "build");
        Files.createDirectories(build.resolve("DEBIAN"));
        Files.createDirectories(build.resolve("usr/share/" + name));
        Files.writeString(build.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: Patchbay Tests <tests@patchbay.invalid>\nSection: misc\n"
                + "Priority: optional\nDescription: " + name + " for the apt source tests\n");
        Files.writeString(build.resolve("usr/share/" + name + "/VERSION"), version + "\n");
        if (postinst != null) {
            Path script = build.resolve("DEBIAN/postinst");
            Files.writeString(script, "#!/bin/sh\n" + postinst + "\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Shell.run(repo, "dpkg-deb", "-b", "--root-owner-group", build.toString(),
                repo.resolve(name + "_" + version + "_all.deb").toString());
    }

    private static void index(Path repo, String origin, String label, String suite)
            throws IOException, InterruptedException {
        Shell.sh(repo, "dpkg-scanpackages -m . > Packages 2>/dev/null; gzip -9kf Packages; apt-ftparchive"
                + " -o APT::FTPArchive::Release::Origin=" + origin + " -o APT::FTPArchive::Release::Label=" + label
                + " -o APT::FTPArchive::Release::Suite=" + suite + " release . > Release");
    }

    /** A device folder with an empty dpkg database, apt configured with the given repositories. */
    Path device(String name, Path... repos) throws IOException {
        return device(Files.createDirectories(dir.resolve(name)), repos);
    }

    /** Makes a folder a device with an empty dpkg database and apt configured with the given repositories. */
    static Path device(Path root, Path... repos) throws IOException {
        for (String d : new String[] { "etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/apt/preferences.d",
                "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg/info",
                "var/lib/dpkg/updates", "var/log/apt", "var/run" }) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        StringBuilder sources = new StringBuilder();
        for (Path repo : repos) {
            sources.append("deb [trusted=yes] file:").append(repo).append(" ./\n");
        }
        Files.writeString(root.resolve("etc/apt/sources.list"), sources);
        return root;
    }

    /** Installs .deb files into a device folder with dpkg itself, as the device's starting state. */
    static void preinstall(Path root, Path... debs) throws IOException, InterruptedException {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("dpkg", "--root=" + root,
                "--admindir=" + root + "/var/lib/dpkg", "--force-script-chrootless", "-i"));
        for (Path d : debs) {
            argv.add(d.toString());
        }
        Shell.run(root, argv);
    }

    /** The version dpkg's database has for a package in a device folder, with its status. */
    static String dpkgStatus(Path root, String name) throws IOException, InterruptedException {
        return Shell.run(root, "dpkg-query", "--admindir=" + root + "/var/lib/dpkg", "-W", "-f",
                "${Version} ${db:Status-Abbrev}", name).strip();
    }
}
