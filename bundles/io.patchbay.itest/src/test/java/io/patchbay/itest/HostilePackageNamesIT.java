package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/**
 * Update ids and names that a package tool would read as options, sent to the apt and dnf sources with real tools
 * on device folders: each is refused with a reason, no tool sees it, and the valid updates beside it still install.
 */
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
@ExtendWith(JobsCleanup.class)
class HostilePackageNamesIT {
    private static Path dir;
    private static DebianFixtures debian;
    private static RedHatFixtures redhat;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    @BeforeAll
    static void buildPackages() throws Exception {
        dir = Files.createTempDirectory(FrameworkUtil.getBundle(HostilePackageNamesIT.class).getBundleContext()
                .getDataFile("").toPath(), "hostile");
        debian = new DebianFixtures(Files.createDirectories(dir.resolve("deb")));
        redhat = new RedHatFixtures(Files.createDirectories(dir.resolve("rpm")));
    }

    @AfterAll
    static void removePackages() throws Exception {
        Shell.run(dir.getParent(), "rm", "-rf", dir.toString());
    }

    private static List<String> commandsRun(JobDTO job) {
        return job.log.stream().map(l -> l.message).filter(m -> m.startsWith("$ ")).toList();
    }

    @Test
    void aptNeverHandsAnOptionLikeNameToDpkgOrApt() throws Exception {
        Path root = debian.device("apt-device", debian.main);
        DebianFixtures.preinstall(root, debian.main.resolve("hello-pb_1.0-1_all.deb"));
        Path marker = dir.resolve("pre-invoke-ran");
        String preInvoke = "-oDPkg::Pre-Invoke::=touch " + marker;
        String fakeAdmindir = "--admindir=/var/tmp/fake-admindir";
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO job = LocalJobs.run(jobs, sources, "apt", JobKind.INSTALL, List.of(
                    LocalJobs.update("hello-pb", "hello-pb", "1.0-1", "1.1-1"),
                    LocalJobs.update(fakeAdmindir, fakeAdmindir, null, null),
                    LocalJobs.update("pre-invoke", preInvoke, null, null),
                    LocalJobs.update("bad-version", "hello-pb", "1.0-1", "--force-all")));
            Map<String, UpdateResultDTO> results = LocalJobs.results(job, Function.identity());

            assertEquals(UpdateStatus.SUCCEEDED, results.get("hello-pb").status, results.get("hello-pb").message);
            assertEquals("1.1-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
            UpdateResultDTO admindir = results.get(fakeAdmindir);
            assertEquals(UpdateStatus.FAILED, admindir.status);
            assertTrue(admindir.message.contains("is not a valid Debian package name"), admindir.message);
            assertEquals(UpdateStatus.FAILED, results.get("pre-invoke").status);
            assertTrue(results.get("bad-version").message.contains("'--force-all' is not a valid Debian version"),
                    results.get("bad-version").message);
            assertFalse(Files.exists(marker), "apt-get took the name as an option and ran the hook");
            for (String command : commandsRun(job)) {
                assertFalse(command.contains("fake-admindir") || command.contains("Pre-Invoke")
                        || command.contains("--force-all"), command);
            }
        }
    }

    @Test
    void aptRunsNoToolWhenEveryNameIsInvalid() throws Exception {
        Path root = debian.device("apt-device-2", debian.main);
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO job = LocalJobs.run(jobs, sources, "apt", JobKind.ROLLBACK, List.of(
                    LocalJobs.update("-y", "-y", "1.0-1", "1.1-1")));
            assertEquals(UpdateStatus.FAILED, job.results.get(0).status);
            assertEquals(List.of(), commandsRun(job), "no package tool ran");
        }
    }

    @Test
    void dnfNeverHandsAnOptionLikeNameToRpmOrDnf() throws Exception {
        Path root = redhat.device("dnf-device", redhat.repo);
        redhat.preinstall(root, redhat.repo.resolve("hello-pb-1.0-1.noarch.rpm"));
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO job = LocalJobs.run(jobs, sources, "dnf", JobKind.INSTALL, List.of(
                    LocalJobs.update("hello-pb.noarch", "hello-pb", "1.0-1", "1.1-1"),
                    LocalJobs.update("--setopt=tsflags=test", "--setopt=tsflags=test", null, "1.0-1"),
                    LocalJobs.update("--installroot=/", null, null, "1.0-1"),
                    LocalJobs.update("world-pb.noarch", "world-pb", null, "2.1-1 --nogpgcheck")));
            Map<String, UpdateResultDTO> results = LocalJobs.results(job, Function.identity());

            assertEquals(UpdateStatus.SUCCEEDED, results.get("hello-pb.noarch").status,
                    results.get("hello-pb.noarch").message);
            assertEquals("1.1-1", RedHatFixtures.rpmVersion(root, "hello-pb"));
            assertTrue(results.get("--setopt=tsflags=test").message.contains("is not a valid rpm package name"),
                    results.get("--setopt=tsflags=test").message);
            assertEquals(UpdateStatus.FAILED, results.get("--installroot=/").status);
            assertTrue(results.get("world-pb.noarch").message.contains("is not a valid rpm version"),
                    results.get("world-pb.noarch").message);
            for (String command : commandsRun(job)) {
                assertFalse(command.contains("tsflags") || command.contains("--installroot=/ ")
                        || command.contains("nogpgcheck"), command);
            }
        }
    }
}
