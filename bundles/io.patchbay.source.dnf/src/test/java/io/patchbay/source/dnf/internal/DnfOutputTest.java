package io.patchbay.source.dnf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DnfOutputTest {

    @Test
    void readsCheckUpdateAmongNoiseAndStopsAtObsoletes() {
        String out = """
                Last metadata expiration check: 0:12:01 ago on Tue 09 Jan 2024 10:00:00 AM UTC.

                kernel.x86_64                 5.14.0-362.18.1.el9_3           baseos
                openssl.x86_64                1:3.0.7-25.el9_3                baseos
                python3-libs.x86_64           3.9.18-1.el9_3.1                baseos
                Security: kernel-core-5.14.0-362.18.1.el9_3.x86_64 is an installed security update
                glibc.i686                    2.34-83.el9_3.12                baseos
                Obsoleting Packages
                grub2-tools.x86_64            1:2.06-70.el9_3.2               baseos
                    grub2-tools.x86_64        1:2.06-61.el9                   @baseos
                """;
        List<DnfOutput.PackageLine> p = DnfOutput.packages(out);
        assertEquals(List.of("kernel.x86_64", "openssl.x86_64", "python3-libs.x86_64", "glibc.i686"),
                p.stream().map(DnfOutput.PackageLine::key).toList());
        assertEquals("1:3.0.7-25.el9_3", p.get(1).evr());
        assertEquals("baseos", p.get(0).repo());
    }

    @Test
    void readsRpmQueriesWithAndWithoutEpochs() {
        var installed = DnfOutput.installed("openssl.x86_64\t1:3.0.7-24.el9\nbash.x86_64\t0:5.1.8-6.el9_1\n");
        assertEquals("1:3.0.7-24.el9", installed.get("openssl.x86_64"));
        assertEquals("5.1.8-6.el9_1", installed.get("bash.x86_64"));
    }

    @Test
    void readsAdvisoriesWithContinuationLines() {
        String out = """
                DNF version: 4.14.0
                cachedir: /var/cache/dnf
                ===============================================================================
                  Important: openssl security update
                ===============================================================================
                  Update ID: RHSA-2024:0310
                       Type: security
                    Updated: 2024-01-25 12:54:09
                       Bugs: 2224962 - CVE-2023-3817 openssl: Excessive time spent checking DH q parameter value
                       CVEs: CVE-2023-3817
                           : CVE-2023-5678
                Description: OpenSSL is a toolkit that implements SSL.
                           :
                           : Security Fix(es):
                   Severity: Important
                      Files: openssl-1:3.0.7-25.el9_3.x86_64.rpm
                           : openssl-libs-1:3.0.7-25.el9_3.x86_64.rpm
                ===============================================================================
                  bash bug fix update
                ===============================================================================
                  Update ID: RHBA-2024:0001
                       Type: bugfix
                    Updated: 2024-01-02
                Description: Fixes a crash.
                   Severity: None
                """;
        List<DnfOutput.Advisory> a = DnfOutput.advisories(out);
        assertEquals(2, a.size());
        DnfOutput.Advisory ssl = a.get(0);
        assertEquals("RHSA-2024:0310", ssl.id());
        assertEquals("security", ssl.type());
        assertEquals("Important", ssl.severity());
        assertEquals(List.of("CVE-2023-3817", "CVE-2023-5678"), ssl.cves());
        assertEquals(List.of("openssl-1:3.0.7-25.el9_3.x86_64.rpm", "openssl-libs-1:3.0.7-25.el9_3.x86_64.rpm"),
                ssl.files());
        assertEquals("Important: openssl security update", ssl.title());
        assertEquals("bugfix", a.get(1).type());
        assertEquals(List.of(), a.get(1).cves());
    }

    @Test
    void findsRebootSuggestionsAndScriptletFailures() {
        String xml = """
                <updates><update type="security"><id>X</id><pkglist><collection>
                <package name="kernel" version="5.14.0" release="362.18.1.el9_3" epoch="0" arch="x86_64">
                  <filename>kernel.rpm</filename><reboot_suggested>True</reboot_suggested></package>
                <package name="bash" version="5.1.8" release="9.el9" epoch="0" arch="x86_64">
                  <filename>bash.rpm</filename></package>
                </collection></pkglist></update></updates>
                """;
        assertEquals(Set.of("kernel-5.14.0-362.18.1.el9_3"), DnfOutput.rebootSuggested(xml));
        String dnf = """
                  Running scriptlet: broken-pb-1.1-1.noarch                                 1/2
                error: lua script failed: [string "%post(broken-pb-1.1-1.noarch)"]:1: cannot migrate the settings
                error: lua script failed: [string "%post(other-pb-1.1-1.noarch)"]:1: unrelated
                  Cleanup          : broken-pb-1.0-1.noarch                                 2/2

                Error in POSTIN scriptlet in rpm package broken-pb
                """;
        String why = DnfOutput.scriptletError(dnf, "broken-pb");
        assertTrue(why.contains("POSTIN") && why.contains("cannot migrate the settings"), why);
        assertTrue(!why.contains("unrelated"), why);
        assertTrue(DnfOutput.errors("", "Error: Failed to download metadata for repo 'local'")
                .contains("Failed to download metadata"));
        String locked = DnfOutput.errors("Dependencies resolved.\nRunning transaction\n",
                "RPM: error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Resource temporarily "
                        + "unavailable)\nError: Could not run transaction.\n");
        assertEquals("RPM: error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Resource temporarily "
                + "unavailable) Error: Could not run transaction.", locked);
        assertTrue(DnfOutput.lockHeld(locked));
    }
}
