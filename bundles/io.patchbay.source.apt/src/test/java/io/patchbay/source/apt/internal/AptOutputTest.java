package io.patchbay.source.apt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AptOutputTest {

    @Test
    void readsSimulatedUpgradesAmongNoise() {
        String out = """
                NOTE: This is only a simulation!
                      apt-get needs root privileges for real execution.
                Reading package lists...
                Building dependency tree...
                W: Some index files failed to download. They have been ignored, or old ones used instead.
                The following packages will be upgraded:
                  libssl3 linux-image-amd64 openssl
                Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian:12.4/stable, Debian-Security:12/stable-security [amd64]) []
                Inst linux-image-6.1.0-17-amd64 (6.1.69-1 Debian-Security:12/stable-security [amd64])
                Inst linux-image-amd64 [6.1.67-1] (6.1.69-1 Debian-Security:12/stable-security [amd64])
                Inst tzdata [2023c-5] (2024a-0+deb12u1 Debian:stable-updates [all])
                Inst libfoo:i386 [1.0-1] (1.0-2 Ubuntu:22.04/jammy-updates [i386])
                Conf libssl3 (3.0.11-1~deb12u2 Debian:12.4/stable, Debian-Security:12/stable-security [amd64])
                """;
        List<AptOutput.Upgrade> ups = AptOutput.simulatedUpgrades(out);
        assertEquals(List.of("libssl3", "linux-image-amd64", "tzdata", "libfoo:i386"),
                ups.stream().map(AptOutput.Upgrade::name).toList(), "new installs are not upgrades");
        AptOutput.Upgrade ssl = ups.get(0);
        assertEquals("3.0.11-1~deb12u1", ssl.installed());
        assertEquals("3.0.11-1~deb12u2", ssl.candidate());
        assertEquals(List.of("Debian:12.4/stable", "Debian-Security:12/stable-security"), ssl.origins());
        assertEquals("amd64", ssl.arch());
        assertTrue(ssl.security());
        assertFalse(ups.get(2).security());
        assertFalse(ups.get(3).security());
    }

    @Test
    void readsDpkgQueryAndMadison() {
        var installed = AptOutput.installed("hello\t1.0-1\tii \nbroken\t1.1-1\tiF \n\n");
        assertTrue(installed.get("hello").configured());
        assertFalse(installed.get("broken").configured());
        var madison = AptOutput.madison("""
                  hello |      1.1-1 | file:/srv/main ./ Packages
                  hello |      1.0-1 | file:/srv/main ./ Packages
                  world | 2.1-1 | http://deb.debian.org/debian bookworm/main amd64 Packages
                """);
        assertEquals(List.of("1.1-1", "1.0-1"), madison.get("hello"));
        assertEquals(List.of("2.1-1"), madison.get("world"));
    }

    @Test
    void findsWhatDpkgSaidAboutAFailedPackage() {
        String out = """
                Setting up broken-pb (1.1-1) ...
                failing
                dpkg: error processing package broken-pb (--configure):
                 installed broken-pb package post-installation script subprocess returned error exit status 1
                Errors were encountered while processing:
                 broken-pb
                E: Sub-process /usr/bin/dpkg returned an error code (1)
                """;
        assertEquals("dpkg: error processing package broken-pb (--configure): installed broken-pb package "
                + "post-installation script subprocess returned error exit status 1",
                AptOutput.dpkgErrorFor(out, "broken-pb"));
        assertEquals(null, AptOutput.dpkgErrorFor(out, "hello-pb"));
        assertTrue(AptOutput.errors(out, "").contains("Sub-process /usr/bin/dpkg returned an error code (1)"));
        assertTrue(AptOutput.lockHeld("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 7"));
    }
}
