package io.patchbay.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real noarch rpms built with rpmbuild, a repository indexed with createrepo_c with an updateinfo.xml advisory added
 * by modifyrepo_c, and device folders with their own rpm database and repository configuration.
 */
final class RedHatFixtures {
    final Path dir;
    final Path repo;
    final Path loose;

    static final String UPDATEINFO = """
            <?xml version="1.0" encoding="UTF-8"?>
            <updates>
              <update from="security@patchbay.invalid" status="final" type="security" version="2">
                <id>PBSA-2026:0001</id>
                <title>Important: world-pb security update</title>
                <severity>Important</severity>
                <issued date="2026-11-01 00:00:00"/>
                <updated date="2026-11-02 00:00:00"/>
                <references>
                  <reference href="https://cve.invalid/CVE-2026-1111" id="CVE-2026-1111" type="cve" title="CVE-2026-1111"/>
                  <reference href="https://cve.invalid/CVE-2026-2222" id="CVE-2026-2222" type="cve" title="CVE-2026-2222"/>
                </references>
                <description>Fixes two flaws in world-pb.</description>
                <pkglist>
                  <collection short="pb">
                    <name>pb</name>
                    <package name="world-pb" version="2.1" release="1" epoch="0" arch="noarch" src="world-pb-2.1-1.src.rpm">
                      <filename>world-pb-2.1-1.noarch.rpm</filename>
                      <reboot_suggested>True</reboot_suggested>
                    </package>
                  </collection>
                </pkglist>
              </update>
            </updates>
            """;

    RedHatFixtures(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.repo = Files.createDirectories(dir.resolve("repo"));
        this.loose = Files.createDirectories(dir.resolve("loose"));
        rpm(repo, "hello-pb", "1.0", "1", null);
        rpm(repo, "hello-pb", "1.1", "1", null);
        rpm(repo, "world-pb", "2.0", "1", null);
        rpm(repo, "world-pb", "2.1", "1", null);
        rpm(repo, "broken-pb", "1.0", "1", null);
        rpm(repo, "broken-pb", "1.1", "1", "error(\"cannot migrate the settings\")");
        rpm(loose, "gone-pb", "1.0", "1", null);
        rpm(repo, "gone-pb", "1.1", "1", null);
        Files.writeString(dir.resolve("updateinfo.xml"), UPDATEINFO);
        Shell.run(dir, "createrepo_c", "-q", repo.toString());
        Shell.run(dir, "modifyrepo_c", "--mdtype=updateinfo", dir.resolve("updateinfo.xml").toString(),
                repo.resolve("repodata").toString());
    }

    /** A noarch rpm; a failing %post is a Lua scriptlet, which runs inside rpm and needs no shell in the device. */
    private void rpm(Path out, String name, String version, String release, String failingPostLua)
            throws IOException, InterruptedException {
        Path spec = dir.resolve(name + "-" + version + ".spec");
        Files.writeString(spec, "Name: " + name + "\nVersion: " + version + "\nRelease: " + release
                + "\nSummary: " + name + " for the dnf source tests\nLicense: MIT\nBuildArch: noarch\n\n"
                + "%description\n" + name + " for the dnf source tests\n\n%install\nmkdir -p %{buildroot}/usr/share/"
                + name + "\necho " + version + " > %{buildroot}/usr/share/" + name + "/VERSION\n\n%files\n/usr/share/"
                + name + "/VERSION\n" + (failingPostLua == null ? "" : "\n%post -p <lua>\n" + failingPostLua + "\n"));
        Shell.run(dir, "rpmbuild", "-bb", "--define", "_topdir " + dir.resolve("rpmbuild"), "--define",
                "_rpmdir " + out, "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                spec.toString());
    }

    /** A device folder with an empty rpm database and the given repository enabled. */
    Path device(String name, Path repository) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(root.resolve("etc/yum.repos.d"));
        Files.createDirectories(root.resolve("etc/dnf"));
        Files.writeString(root.resolve("etc/dnf/dnf.conf"), "[main]\ngpgcheck=0\ninstall_weak_deps=False\n");
        Files.writeString(root.resolve("etc/os-release"), "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n");
        Files.writeString(root.resolve("etc/yum.repos.d/pb.repo"), "[pb]\nname=Patchbay test packages\nbaseurl=file://"
                + repository + "\nenabled=1\ngpgcheck=0\nmetadata_expire=0\n");
        Shell.run(dir, "rpm", "--root=" + root, "--initdb");
        return root;
    }

    void preinstall(Path root, Path... rpms) throws IOException, InterruptedException {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("rpm", "--root=" + root, "-i"));
        for (Path r : rpms) {
            argv.add(r.toString());
        }
        Shell.run(dir, argv);
    }

    static String rpmVersion(Path root, String name) throws IOException, InterruptedException {
        return Shell.run(root, "rpm", "--root=" + root, "-q", "--qf", "%{VERSION}-%{RELEASE}", name).strip();
    }
}
