package io.patchbay.api.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackageNamesTest {

    /** Names that a package tool would read as an option, or that are not names at all. */
    @ParameterizedTest
    @ValueSource(strings = { "--admindir=x", "-oDPkg::Pre-Invoke::=touch /tmp/x", "-y", "-", "a", "Hello",
            "hello world", "hello;rm", "hello\n-y", "", ".hidden", "+plus", "hello=1.0", "hello/unstable", "héllo" })
    void hostileOrMalformedDebianNamesAreRefused(String name) {
        assertFalse(PackageNames.isDebianName(name), name);
        assertTrue(PackageNames.problemDebian(name, "1.0").contains("not a valid Debian package name"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "hello", "libc6", "g++", "libstdc++6", "linux-image-6.1.0-18-amd64", "libc6:amd64",
            "0ad", "xz-utils", "python3.11" })
    void debianNamesOfThePolicyPass(String name) {
        assertTrue(PackageNames.isDebianName(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.0", "1:2.3-4", "3.0.11-1~deb12u2", "2.36-9+deb12u4", "1.2.3+dfsg-1", "0.9~rc1",
            "1:1.2:3-1", "7.88.1-10+deb12u5", "1.0-1-2" })
    void debianVersionsOfThePolicyPass(String version) {
        assertTrue(PackageNames.isDebianVersion(version), version);
    }

    @ParameterizedTest
    @ValueSource(strings = { "--force-all", "-1", "a1.0", "1.0 -y", "1.0;x", "x:1.0", ":1.0", "1.0-", "1.0-r/1",
            "1.2:3", "", "1.0\n" })
    void malformedDebianVersionsAreRefused(String version) {
        assertFalse(PackageNames.isDebianVersion(version), version);
    }

    @ParameterizedTest
    @ValueSource(strings = { "--root=/x", "-qa", "--setopt=x", "bash;id", "bash x", "", ".x", "-" })
    void hostileRpmNamesAreRefused(String name) {
        assertFalse(PackageNames.isRpmName(name), name);
        assertTrue(PackageNames.problemRpm(name, null).contains("not a valid rpm package name"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "bash", "bash.x86_64", "kernel-core", "perl-IO-Socket-SSL", "gcc-c++", "python3.11",
            "NetworkManager", "hello-pb.noarch", "_private" })
    void rpmNamesPass(String name) {
        assertTrue(PackageNames.isRpmName(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.0-1", "0:1.0-1.el9", "2:4.16.1.3-25.el9", "1.0~rc1-1", "1.0^20230101-1", "5.14.0" })
    void rpmEvrsPass(String evr) {
        assertTrue(PackageNames.isRpmEvr(evr), evr);
        assertNull(PackageNames.problemRpm("bash", evr));
    }

    @ParameterizedTest
    @ValueSource(strings = { "--nodeps", "1.0-1-2", "1.0 x", "-1.0", "a:1.0", "1.0-", "" })
    void malformedRpmEvrsAreRefused(String evr) {
        assertFalse(PackageNames.isRpmEvr(evr), evr);
    }

    @ParameterizedTest
    @ValueSource(strings = { "KB5034441", "KB890830" })
    void kbIdsPass(String id) {
        assertTrue(PackageNames.isKb(id));
    }

    @ParameterizedTest
    @ValueSource(strings = { "kb5034441", "KB", "KB12a", "5034441", "KB5034441 /quiet", "-KB1" })
    void malformedKbIdsAreRefused(String id) {
        assertFalse(PackageNames.isKb(id), id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Mozilla.Firefox", "7zip.7zip", "Microsoft.VisualStudio.2022.Community",
            "Git.Git", "JetBrains.IntelliJIDEA.Community.EAP", "Notepad++.Notepad++" })
    void wingetIdsPass(String id) {
        assertTrue(PackageNames.isWingetId(id), id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Firefox", "Mozilla..Firefox", ".Mozilla.Firefox", "Mozilla.Fire fox",
            "Mozilla/Firefox", "Mozilla.Fire|fox", "a.b.c.d.e.f.g.h.i",
            "Averyveryveryveryverylongpublisher.x" })
    void malformedWingetIdsAreRefused(String id) {
        assertFalse(PackageNames.isWingetId(id), id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "-x", "--help", ".hidden", "a b", "a/b", "" })
    void malformedCatalogIdsAreRefused(String id) {
        assertFalse(PackageNames.isCatalogId(id), id);
    }
}
