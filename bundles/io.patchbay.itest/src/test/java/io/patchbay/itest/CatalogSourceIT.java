package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.servlet.Servlet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.catalog.AppCatalog;
import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.catalog.DetectionDTO;
import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.catalog.ReleaseDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/**
 * The catalog source end to end on Linux: a catalog offering .deb installers served over real HTTP, detected and
 * installed with dpkg in a device folder, each download verified by its SHA-256.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(JobsCleanup.class)
class CatalogSourceIT {
    private static Path dir;
    private static Path hello1;
    private static Path hello2;
    private static Path tampered;
    private static Path evil;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    Jobs jobs;

    @InjectService
    Sources sources;

    private final DownloadServlet servlet = new DownloadServlet();

    @BeforeAll
    static void buildPackages() throws Exception {
        dir = Files.createTempDirectory(FrameworkUtil.getBundle(CatalogSourceIT.class).getBundleContext()
                .getDataFile("").toPath(), "catalog");
        Path debs = Files.createDirectories(dir.resolve("debs"));
        DebianFixtures.deb(debs, "hello-app-pb", "1.0-1", null);
        DebianFixtures.deb(debs, "hello-app-pb", "2.0-1", null);
        DebianFixtures.deb(debs, "tampered-pb", "1.0-1", null);
        DebianFixtures.deb(debs, "tampered-pb", "9.0-1", "echo 'this must never run' >&2; exit 1");
        hello1 = debs.resolve("hello-app-pb_1.0-1_all.deb");
        hello2 = debs.resolve("hello-app-pb_2.0-1_all.deb");
        tampered = debs.resolve("tampered-pb_1.0-1_all.deb");
        evil = debs.resolve("tampered-pb_9.0-1_all.deb");
    }

    @BeforeEach
    void serveAndOffer() throws Exception {
        servlet.files.put("hello-1.deb", hello1);
        servlet.files.put("hello-2.deb", hello2);
        servlet.files.put("tampered-9.deb", evil);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", DownloadServlet.PATH + "/*");
        context.registerService(Servlet.class, servlet, props);
        context.registerService(AppCatalog.class, new AppCatalog() {
            @Override
            public String id() {
                return "itest";
            }

            @Override
            public String name() {
                return "in-framework test catalog";
            }

            @Override
            public List<AppDTO> apps() throws Exception {
                return List.of(app("hello-app", "hello-app-pb", release("1.0-1", "hello-1.deb", sha256(hello1)),
                        release("2.0-1", "hello-2.deb", sha256(hello2))),
                        // the catalog's hash is that of another file: the download must be refused
                        app("tampered", "tampered-pb", release("9.0-1", "tampered-9.deb", sha256(hello2))));
            }
        }, null);
        Await.until("the catalog source", Duration.ofSeconds(20), () -> sources.source("catalog").orElse(null));
    }

    static AppDTO app(String id, String packageName, ReleaseDTO... releases) {
        AppDTO a = new AppDTO();
        a.id = id;
        a.name = id;
        a.publisher = "Patchbay tests";
        a.versionScheme = "deb";
        a.severity = "important";
        a.releases = List.of(releases);
        DetectionDTO d = new DetectionDTO();
        d.kind = DetectionDTO.LINUX_PACKAGE;
        d.packageName = packageName;
        a.detection = List.of(d);
        return a;
    }

    static ReleaseDTO release(String version, String file, String sha256) {
        InstallerDTO i = new InstallerDTO();
        i.platform = "linux";
        i.architecture = "neutral";
        i.type = InstallerDTO.DEB;
        i.url = DownloadServlet.url(file);
        i.sha256 = sha256;
        ReleaseDTO r = new ReleaseDTO();
        r.version = version;
        r.installers = List.of(i);
        return r;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private JobDTO run(JobKind kind, List<UpdateDTO> updates) throws InterruptedException {
        return LocalJobs.run(jobs, sources, "catalog", kind, updates);
    }

    private static Map<String, UpdateResultDTO> results(JobDTO job) {
        return LocalJobs.results(job, Function.identity());
    }

    @Test
    void detectsDownloadsOnceVerifiesAndInstallsARealPackage() throws Exception {
        Path root = DebianFixtures.device(Files.createDirectories(dir.resolve("device")));
        DebianFixtures.preinstall(root, hello1, tampered);
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN, List.of());
            assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
            Map<String, UpdateDTO> found = scan.found.stream().collect(Collectors.toMap(u -> u.id, u -> u));
            assertEquals(java.util.Set.of("itest/hello-app", "itest/tampered"), found.keySet());
            UpdateDTO hello = found.get("itest/hello-app");
            assertEquals("1.0-1", hello.installedVersion);
            assertEquals("2.0-1", hello.version);
            assertEquals("application", hello.classification);
            assertEquals("important", hello.severity);
            assertEquals("in-framework test catalog", hello.origin);

            JobDTO install = run(JobKind.INSTALL, List.of(hello, found.get("itest/tampered")));
            UpdateResultDTO ok = results(install).get("itest/hello-app");
            assertEquals(UpdateStatus.SUCCEEDED, ok.status, ok.message);
            assertEquals("2.0-1", ok.versionAfter);
            assertEquals("2.0-1 ii", DebianFixtures.dpkgStatus(root, "hello-app-pb"));
            UpdateResultDTO refused = results(install).get("itest/tampered");
            assertEquals(UpdateStatus.FAILED, refused.status);
            assertTrue(refused.message.contains("SHA-256") && refused.message.contains("nothing was run"),
                    refused.message);
            assertEquals("1.0-1 ii", DebianFixtures.dpkgStatus(root, "tampered-pb"), "the installer never ran");

            JobDTO rollback = run(JobKind.ROLLBACK, List.of(hello));
            assertEquals(UpdateStatus.SUCCEEDED, results(rollback).get("itest/hello-app").status,
                    results(rollback).get("itest/hello-app").message);
            assertEquals("1.0-1 ii", DebianFixtures.dpkgStatus(root, "hello-app-pb"));
            assertEquals(UpdateStatus.SUCCEEDED, results(run(JobKind.INSTALL, List.of(hello))).get("itest/hello-app")
                    .status);
            assertEquals(1, servlet.hits("hello-2.deb"), "the installer is downloaded once, then cached");

            JsonNode catalogs = Http.get("/catalogs").json();
            JsonNode itest = null;
            for (JsonNode c : catalogs) {
                if (c.get("id").asText().equals("itest")) {
                    itest = c;
                }
            }
            assertTrue(itest != null, catalogs.toString());
            assertEquals(2, itest.get("applications").asInt());
            assertEquals("io.patchbay.itest-tests", itest.get("bundle").asText());
        }
    }

    @Test
    void aCatalogWhoseBundleIsGoingAwayDoesNotBreakTheOthers() throws Exception {
        context.registerService(AppCatalog.class, new AppCatalog() {
            @Override
            public String id() {
                return "vanishing";
            }

            @Override
            public String name() {
                return "a catalog whose bundle is being updated";
            }

            @Override
            public List<AppDTO> apps() {
                throw new NoClassDefFoundError("org/yaml/snakeyaml/LoaderOptions");
            }
        }, null);
        Http.Answer listed = Http.get("/catalogs");
        assertEquals(200, listed.status(), listed.body());
        boolean itest = false;
        for (JsonNode c : listed.json()) {
            itest |= c.get("id").asText().equals("itest");
            assertTrue(!c.get("id").asText().equals("vanishing"), "a leaving catalog is not listed");
        }
        assertTrue(itest, listed.body());
        Path root = DebianFixtures.device(Files.createDirectories(dir.resolve("device-vanishing")));
        DebianFixtures.preinstall(root, hello1);
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            JobDTO scan = run(JobKind.SCAN, List.of());
            assertEquals(JobState.SUCCEEDED, scan.state, scan.reason);
            assertEquals(List.of("itest/hello-app"), scan.found.stream().map(u -> u.id).toList());
        }
    }

    @Test
    void aRollbackToAVersionTheCatalogDropsIsRefusedPlainly() throws Exception {
        Path root = DebianFixtures.device(Files.createDirectories(dir.resolve("device-gone")));
        DebianFixtures.preinstall(root, tampered);
        try (LocalDeviceRoot device = new LocalDeviceRoot(root)) {
            UpdateDTO u = new UpdateDTO();
            u.id = "itest/tampered";
            u.installedVersion = "0.5-1";
            u.version = "1.0-1";
            UpdateResultDTO r = results(run(JobKind.ROLLBACK, List.of(u))).get("itest/tampered");
            assertEquals(UpdateStatus.FAILED, r.status);
            assertTrue(r.message.contains("no longer offers version 0.5-1"), r.message);
        }
    }
}
