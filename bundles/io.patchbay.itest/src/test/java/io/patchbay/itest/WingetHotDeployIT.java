package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.Devices;
import io.patchbay.api.HostProvider;
import io.patchbay.api.Jobs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;

/**
 * The vendor plugin from plugins-thirdparty deployed for real: its jar and its configuration dropped into the
 * running server's plugins folder, replaced with a newer build, and deleted while a scan uses it.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class WingetHotDeployIT {
    static final Duration LIMIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService(filter = "(component.name=io.patchbay.core.internal.LocalDevice)")
    Devices localDevices;

    @InjectService
    Jobs jobs;

    private final WindowsFixtures.RegistryHost windows = new WindowsFixtures.RegistryHost();
    private Path plugins;
    private Path manifests;

    @BeforeEach
    void windowsDeviceAndManifests() throws Exception {
        Hashtable<String, Object> ranked = new Hashtable<>();
        ranked.put(Constants.SERVICE_RANKING, 100);
        context.registerService(Devices.class, new WindowsFixtures.WithWindows(localDevices), ranked);
        context.registerService(HostProvider.class, WindowsFixtures.hostProvider(windows), ranked);
        plugins = Path.of(System.getProperty("felix.fileinstall.dir"));
        manifests = Files.createTempDirectory(FrameworkUtil.getBundle(getClass()).getBundleContext().getDataFile("")
                .toPath(), "manifests");
        for (URL url : Collections.list(FrameworkUtil.getBundle(getClass()).findEntries("manifests", "*.yaml",
                true))) {
            Path to = manifests.resolve(url.getPath().substring("/manifests/".length()));
            Files.createDirectories(to.getParent());
            try (InputStream in = url.openStream()) {
                Files.copy(in, to);
            }
        }
    }

    @AfterEach
    void removePlugin() throws Exception {
        Files.deleteIfExists(plugins.resolve("winget-catalog.jar"));
        Files.deleteIfExists(plugins.resolve("io.patchbay.thirdparty.winget-itest.cfg"));
        Await.until("the catalog to leave", LIMIT, () -> catalog().isEmpty());
    }

    private void drop(String name, byte[] content) throws Exception {
        Path staged = Files.createTempFile(plugins.getParent(), "staged", ".part");
        Files.write(staged, content);
        Files.move(staged, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<JsonNode> catalog() {
        try {
            for (JsonNode c : Http.get("/catalogs").json()) {
                if (c.get("id").asText().equals("winget-itest")) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JobDTO submitScan() {
        JobRequestDTO r = new JobRequestDTO();
        r.kind = JobKind.SCAN;
        r.deviceId = WindowsFixtures.DEVICE;
        r.sourceId = "catalog";
        return jobs.submit(r);
    }

    @Test
    void theVendorPluginIsDeployedReplacedAndRemovedWhileTheServerRuns() throws Exception {
        drop("io.patchbay.thirdparty.winget-itest.cfg", ("id=winget-itest\nname=winget manifests of the tests\n"
                + "location=" + manifests + "\n").getBytes());
        drop("winget-catalog.jar", Fixtures.wingetPlugin("1.0.0"));
        JsonNode listed = Await.until("the winget catalog in /catalogs", LIMIT, () -> catalog().orElse(null));
        assertEquals("winget manifests of the tests", listed.get("name").asText());
        assertEquals(1, listed.get("applications").asInt());
        assertEquals("io.patchbay.thirdparty.winget", listed.get("bundle").asText());
        assertEquals("1.0.0", listed.get("bundleVersion").asText());

        JobDTO scan = jobs.await(submitScan().id, LIMIT).orElseThrow();
        assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
        UpdateDTO vlc = scan.found.stream().filter(u -> u.id.equals("winget-itest/VideoLAN.VLC")).findFirst()
                .orElseThrow(() -> new AssertionError("no VLC update in " + scan.found.size() + " updates"));
        assertEquals("3.0.18", vlc.installedVersion, "detected from the Apps and Features entry");
        assertEquals("3.0.20", vlc.version);
        assertEquals("winget manifests of the tests", vlc.origin);

        drop("winget-catalog.jar", Fixtures.wingetPlugin("1.1.0"));
        Await.until("the newer plugin build", LIMIT,
                () -> catalog().filter(c -> c.get("bundleVersion").asText().equals("1.1.0")).orElse(null));

        windows.delayMillis = 3_000;
        JobDTO running = submitScan();
        Await.until("the scan to run", LIMIT, () -> jobs.get(running.id).filter(j -> j.state == JobState.RUNNING)
                .orElse(null));
        Files.delete(plugins.resolve("winget-catalog.jar"));
        Await.until("the catalog to leave", LIMIT, () -> catalog().isEmpty());
        JobDTO ended = jobs.await(running.id, LIMIT).orElseThrow();
        assertEquals(JobState.SUCCEEDED, ended.state, "the scan ends cleanly: " + ended.reason);
        assertEquals(List.of(), ended.found.stream().filter(u -> u.id.startsWith("winget-itest/")).toList());
        assertTrue(ended.log.stream().anyMatch(l -> l.message.contains("left during the scan")
                && l.message.contains("interrupted")), ended.log.toString());
        assertEquals(200, Http.get("/health").status());
    }
}
