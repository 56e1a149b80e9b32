package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/** The apt source driving real apt-get and dpkg on a device folder, through the core's job engine. */
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
@ExtendWith(JobsCleanup.class)
class AptSourceIT {
    private static DebianFixtures debian;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    @BeforeAll
    static void buildPackages() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(AptSourceIT.class).getBundleContext();
        debian = new DebianFixtures(Files.createTempDirectory(context.getDataFile("").toPath(), "apt"));
    }

    @AfterAll
    static void removePackages() throws Exception {
        Shell.run(debian.dir.getParent(), "rm", "-rf", debian.dir.toString());
    }

    private JobDTO run(JobKind kind, UpdateDTO... updates) throws InterruptedException {
        return LocalJobs.run(jobs, sources, "apt", kind, List.of(updates));
    }

    private static UpdateDTO update(String name, String from, String to) {
        return LocalJobs.update(name, name, from, to);
    }

    private static Map<String, UpdateDTO> byId(List<UpdateDTO> found) {
        return found.stream().collect(Collectors.toMap(u -> u.id, Function.identity()));
    }

    private static Map<String, UpdateResultDTO> results(JobDTO job) {
        return LocalJobs.results(job, Function.identity());
    }

    private Path deviceWithOldVersions(String name) throws Exception {
        Path root = debian.device(name, debian.main, debian.security);
        debian.preinstall(root, debian.main.resolve("hello-pb_1.0-1_all.deb"),
                debian.main.resolve("world-pb_2.0-1_all.deb"), debian.main.resolve("broken-pb_1.0-1_all.deb"),
                debian.loose.resolve("gone-pb_1.0-1_all.deb"), debian.main.resolve("linux-image-pb_6.1.0-1_all.deb"));
        return root;
    }

    @Test
    void scanInstallScanRollbackScan() throws Exception {
        Path root = deviceWithOldVersions("cycle");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
            Map<String, UpdateDTO> found = byId(scan.found);
            assertEquals(Set.of("hello-pb", "world-pb", "broken-pb", "gone-pb", "linux-image-pb"), found.keySet());
            assertTrue(found.get("linux-image-pb").rebootRequired, "a kernel update needs a reboot");
            assertTrue(!found.get("hello-pb").rebootRequired);
            UpdateDTO world = found.get("world-pb");
            assertEquals("2.0-1", world.installedVersion);
            assertEquals("2.1-1", world.version);
            assertEquals("security", world.classification);
            assertTrue(world.origin.contains("Debian-Security:stable-security"), world.origin);
            assertEquals("update", found.get("hello-pb").classification);
            assertEquals("apt", world.sourceType);

            JobDTO install = run(JobKind.INSTALL, found.get("hello-pb"), world);
            assertEquals(JobState.SUCCEEDED, install.state, install.reason);
            UpdateResultDTO hello = results(install).get("hello-pb");
            assertEquals(UpdateStatus.SUCCEEDED, hello.status);
            assertEquals("1.0-1", hello.versionBefore);
            assertEquals("1.1-1", hello.versionAfter);
            assertEquals("1.1-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
            assertEquals("2.1-1 ii", DebianFixtures.dpkgStatus(root, "world-pb"));

            assertEquals(Set.of("broken-pb", "gone-pb", "linux-image-pb"), byId(run(JobKind.SCAN).found).keySet());

            JobDTO rollback = run(JobKind.ROLLBACK, found.get("hello-pb"));
            assertEquals(JobState.SUCCEEDED, rollback.state, rollback.reason);
            assertEquals("1.0-1", results(rollback).get("hello-pb").versionAfter);
            assertEquals("1.0-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
            assertEquals(Set.of("hello-pb", "broken-pb", "gone-pb", "linux-image-pb"),
                    byId(run(JobKind.SCAN).found).keySet());
        }
    }

    @Test
    void aFailingMaintainerScriptFailsThatPackageOnly() throws Exception {
        Path root = deviceWithOldVersions("postinst");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO install = run(JobKind.INSTALL, update("broken-pb", "1.0-1", "1.1-1"),
                    update("hello-pb", "1.0-1", "1.1-1"));
            assertEquals(JobState.FAILED, install.state);
            UpdateResultDTO broken = results(install).get("broken-pb");
            assertEquals(UpdateStatus.FAILED, broken.status);
            assertTrue(broken.message.contains("post-installation script"), broken.message);
            assertEquals(UpdateStatus.SUCCEEDED, results(install).get("hello-pb").status);
            assertEquals("1.1-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
            // dpkg's database is consistent: the package is recorded as unpacked but not configured, as dpkg left it
            assertTrue(DebianFixtures.dpkgStatus(root, "broken-pb").startsWith("1.1-1 i"),
                    DebianFixtures.dpkgStatus(root, "broken-pb"));
            assertTrue(broken.message.contains("left in dpkg state"), broken.message);
        }
    }

    @Test
    void aVersionThatNoRepositoryOffersIsRefusedAndChangesNothing() throws Exception {
        Path root = deviceWithOldVersions("noversion");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO install = run(JobKind.INSTALL, update("hello-pb", "1.0-1", "9.9-1"));
            UpdateResultDTO r = results(install).get("hello-pb");
            assertEquals(UpdateStatus.FAILED, r.status);
            assertTrue(r.message.contains("not available") && r.message.contains("1.1-1"), r.message);
            assertEquals("1.0-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
        }
    }

    @Test
    void aRollbackWhoseVersionIsGoneSaysSoPlainly() throws Exception {
        Path root = deviceWithOldVersions("gone");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            UpdateDTO gone = update("gone-pb", "1.0-1", "1.1-1");
            assertEquals(JobState.SUCCEEDED, run(JobKind.INSTALL, gone).state);
            JobDTO rollback = run(JobKind.ROLLBACK, gone);
            UpdateResultDTO r = results(rollback).get("gone-pb");
            assertEquals(UpdateStatus.FAILED, r.status);
            assertTrue(r.message.contains("no longer available"), r.message);
            assertEquals("1.1-1 ii", DebianFixtures.dpkgStatus(root, "gone-pb"));
        }
    }

    @Test
    @WithConfiguration(pid = "io.patchbay.source.apt", location = "?", properties = @Property(key = "lockTimeoutSeconds",
            value = "2", scalar = Property.Scalar.Integer))
    void aHeldDpkgLockIsABoundedWaitThenAClearFailure() throws Exception {
        Path root = deviceWithOldVersions("locked");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root);
                FileChannel lockFile = new RandomAccessFile(root.resolve("var/lib/dpkg/lock-frontend").toFile(),
                        "rw").getChannel();
                FileLock lock = lockFile.lock()) {
            long start = System.nanoTime();
            JobDTO install = run(JobKind.INSTALL, update("hello-pb", "1.0-1", "1.1-1"));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            UpdateResultDTO r = results(install).get("hello-pb");
            assertEquals(UpdateStatus.FAILED, r.status);
            assertTrue(r.message.contains("dpkg lock"), r.message);
            assertTrue(seconds < 60, "waited " + seconds + " s");
        }
        assertEquals("1.0-1 ii", DebianFixtures.dpkgStatus(root, "hello-pb"));
    }

    @Test
    void anUnreachableRepositoryOrACorruptIndexFailsTheScanWithApt_sReason() throws Exception {
        Path root = debian.device("unreachable", debian.dir.resolve("no-such-repo"));
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.FAILED, scan.state);
            assertTrue(scan.reason.contains("apt-get update failed") && scan.reason.contains("no-such-repo"),
                    scan.reason);
        }
        Path corrupt = Files.createDirectories(debian.dir.resolve("repo-corrupt"));
        Shell.sh(corrupt, "cp " + debian.main + "/Packages " + debian.main + "/Release . ; "
                + "echo 'Package: intruder' >> Packages; rm -f Packages.gz");
        Path root2 = debian.device("corrupt", corrupt);
        try (LocalDeviceRoot device = new LocalDeviceRoot(root2)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.FAILED, scan.state);
            assertTrue(scan.reason.contains("apt-get update failed"), scan.reason);
        }
    }
}
