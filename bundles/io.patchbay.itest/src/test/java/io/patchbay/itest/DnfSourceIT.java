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

/** The dnf source driving real dnf and rpm on a device folder, through the core's job engine. */
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
@ExtendWith(JobsCleanup.class)
class DnfSourceIT {
    private static RedHatFixtures redhat;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    @BeforeAll
    static void buildPackages() throws Exception {
        redhat = new RedHatFixtures(Files.createTempDirectory(
                FrameworkUtil.getBundle(DnfSourceIT.class).getBundleContext().getDataFile("").toPath(), "dnf"));
    }

    @AfterAll
    static void removePackages() throws Exception {
        Shell.run(redhat.dir.getParent(), "rm", "-rf", redhat.dir.toString());
    }

    private JobDTO run(JobKind kind, UpdateDTO... updates) throws InterruptedException {
        return LocalJobs.run(jobs, sources, "dnf", kind, List.of(updates));
    }

    private static UpdateDTO update(String name, String from, String to) {
        return LocalJobs.update(name + ".noarch", name, from, to);
    }

    private static Map<String, UpdateDTO> byName(List<UpdateDTO> found) {
        return found.stream().collect(Collectors.toMap(u -> u.name, Function.identity()));
    }

    private static Map<String, UpdateResultDTO> results(JobDTO job) {
        return LocalJobs.results(job, id -> id.replace(".noarch", ""));
    }

    private Path deviceWithOldVersions(String name) throws Exception {
        Path root = redhat.device(name, redhat.repo);
        redhat.preinstall(root, redhat.repo.resolve("hello-pb-1.0-1.noarch.rpm"),
                redhat.repo.resolve("world-pb-2.0-1.noarch.rpm"), redhat.repo.resolve("broken-pb-1.0-1.noarch.rpm"),
                redhat.loose.resolve("gone-pb-1.0-1.noarch.rpm"));
        return root;
    }

    @Test
    void scanInstallScanRollbackScan() throws Exception {
        Path root = deviceWithOldVersions("cycle");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
            Map<String, UpdateDTO> found = byName(scan.found);
            assertEquals(Set.of("hello-pb", "world-pb", "broken-pb", "gone-pb"), found.keySet());
            UpdateDTO world = found.get("world-pb");
            assertEquals("world-pb.noarch", world.id);
            assertEquals("2.0-1", world.installedVersion);
            assertEquals("2.1-1", world.version);
            assertEquals("PBSA-2026:0001", world.advisory);
            assertEquals("security", world.classification);
            assertEquals("important", world.severity);
            assertEquals(List.of("CVE-2026-1111", "CVE-2026-2222"), world.cves);
            assertTrue(world.rebootRequired, "reboot_suggested in the advisory");
            UpdateDTO hello = found.get("hello-pb");
            assertEquals("update", hello.classification);
            assertEquals("unspecified", hello.severity);

            JobDTO install = run(JobKind.INSTALL, hello, world);
            assertEquals(JobState.SUCCEEDED, install.state, install.reason);
            assertEquals("1.0-1", results(install).get("hello-pb").versionBefore);
            assertEquals("1.1-1", results(install).get("hello-pb").versionAfter);
            assertEquals("1.1-1", RedHatFixtures.rpmVersion(root, "hello-pb"));
            assertEquals("2.1-1", RedHatFixtures.rpmVersion(root, "world-pb"));

            assertEquals(Set.of("broken-pb", "gone-pb"), byName(run(JobKind.SCAN).found).keySet());

            JobDTO rollback = run(JobKind.ROLLBACK, hello);
            assertEquals(JobState.SUCCEEDED, rollback.state, rollback.reason);
            assertEquals("1.0-1", RedHatFixtures.rpmVersion(root, "hello-pb"));
            assertEquals(Set.of("hello-pb", "broken-pb", "gone-pb"), byName(run(JobKind.SCAN).found).keySet());
        }
    }

    @Test
    void aFailingScriptletIsReportedForThatPackage() throws Exception {
        Path root = deviceWithOldVersions("scriptlet");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO install = run(JobKind.INSTALL, update("broken-pb", "1.0-1", "1.1-1"),
                    update("hello-pb", "1.0-1", "1.1-1"));
            assertEquals(JobState.FAILED, install.state);
            UpdateResultDTO broken = results(install).get("broken-pb");
            assertEquals(UpdateStatus.FAILED, broken.status);
            assertTrue(broken.message.contains("POSTIN") && broken.message.contains("cannot migrate"),
                    broken.message);
            assertEquals(UpdateStatus.SUCCEEDED, results(install).get("hello-pb").status);
            // rpm keeps its database consistent: the new version is installed, its scriptlet did not finish
            assertEquals("1.1-1", RedHatFixtures.rpmVersion(root, "broken-pb"));
        }
    }

    @Test
    void missingVersionsAndVanishedRollbackTargetsAreRefusedPlainly() throws Exception {
        Path root = deviceWithOldVersions("missing");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            UpdateResultDTO none = results(run(JobKind.INSTALL, update("hello-pb", "1.0-1", "9.9-1")))
                    .get("hello-pb");
            assertEquals(UpdateStatus.FAILED, none.status);
            assertTrue(none.message.contains("not available") && none.message.contains("1.1-1"), none.message);
            assertEquals("1.0-1", RedHatFixtures.rpmVersion(root, "hello-pb"));

            UpdateDTO gone = update("gone-pb", "1.0-1", "1.1-1");
            assertEquals(JobState.SUCCEEDED, run(JobKind.INSTALL, gone).state);
            UpdateResultDTO back = results(run(JobKind.ROLLBACK, gone)).get("gone-pb");
            assertEquals(UpdateStatus.FAILED, back.status);
            assertTrue(back.message.contains("no longer available"), back.message);
            assertEquals("1.1-1", RedHatFixtures.rpmVersion(root, "gone-pb"));
        }
    }

    @Test
    @WithConfiguration(pid = "io.patchbay.source.dnf", location = "?", properties = @Property(
            key = "installTimeoutSeconds", value = "5", scalar = Property.Scalar.Integer))
    void aHeldRpmLockIsABoundedWaitThenAClearFailure() throws Exception {
        Path root = deviceWithOldVersions("locked");
        try (LocalDeviceRoot device = new LocalDeviceRoot(root);
                FileChannel lockFile = new RandomAccessFile(rpmLock(root), "rw").getChannel();
                FileLock lock = lockFile.lock()) {
            long start = System.nanoTime();
            JobDTO install = run(JobKind.INSTALL, update("hello-pb", "1.0-1", "1.1-1"));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            UpdateResultDTO r = results(install).get("hello-pb");
            assertEquals(UpdateStatus.FAILED, r.status);
            assertTrue(r.message.contains("rpm lock"), r.message);
            assertTrue(seconds < 60, "waited " + seconds + " s");
        }
        assertEquals("1.0-1", RedHatFixtures.rpmVersion(root, "hello-pb"));
    }

    /** rpm's transaction lock inside the device folder, where this machine's rpm keeps its database. */
    private static java.io.File rpmLock(Path root) throws Exception {
        String path = Shell.run(root, "rpm", "--eval", "%_rpmlock_path").strip();
        return root.resolve(path.substring(1)).toFile();
    }

    @Test
    void anUnreachableRepositoryOrACorruptIndexFailsTheScanWithDnf_sReason() throws Exception {
        Path root = redhat.device("unreachable", redhat.dir.resolve("no-such-repo"));
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.FAILED, scan.state);
            assertTrue(scan.reason.contains("check-update failed") && scan.reason.contains("pb"), scan.reason);
        }
        Path corrupt = Files.createDirectories(redhat.dir.resolve("repo-corrupt/repodata"));
        Shell.sh(corrupt, "cp " + redhat.repo + "/repodata/* . && for f in *primary.xml.gz; do "
                + "echo garbage > \"$f\"; done");
        Path root2 = redhat.device("corrupt", corrupt.getParent());
        try (LocalDeviceRoot device = new LocalDeviceRoot(root2)) {
            JobDTO scan = run(JobKind.SCAN);
            assertEquals(JobState.FAILED, scan.state);
            assertTrue(scan.reason.contains("check-update failed"), scan.reason);
        }
    }
}
