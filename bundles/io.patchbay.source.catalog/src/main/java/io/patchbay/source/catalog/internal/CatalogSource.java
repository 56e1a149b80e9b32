package io.patchbay.source.catalog.internal;

import static io.patchbay.api.source.SourceSupport.fail;
import static io.patchbay.api.source.SourceSupport.result;
import static io.patchbay.api.source.SourceSupport.run;
import static io.patchbay.api.source.SourceSupport.succeed;
import static io.patchbay.api.source.SourceSupport.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.DataFolder;
import io.patchbay.api.catalog.AppCatalog;
import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.catalog.CatalogDTO;
import io.patchbay.api.catalog.Catalogs;
import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.catalog.ReleaseDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.JobContext;
import io.patchbay.api.source.PackageNames;
import io.patchbay.api.source.SourceConstants;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.UpdateSource;
import io.patchbay.api.source.UpdateSourceProperties;
import io.patchbay.api.version.VersionScheme;
import io.patchbay.api.version.VersionSchemes;

/**
 * Third-party applications from every {@link AppCatalog} service present, as they come and go: detects installed
 * applications on the device, offers the newest release of each as an update, and installs it from an installer
 * downloaded once and verified by its SHA-256.
 */
@Component(service = { UpdateSource.class, Catalogs.class }, configurationPid = CatalogSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@UpdateSourceProperties(type = "catalog", platforms = { SourceConstants.PLATFORM_WINDOWS,
        SourceConstants.PLATFORM_MACOS, SourceConstants.PLATFORM_LINUX })
@Designate(ocd = CatalogSource.Config.class)
public class CatalogSource implements UpdateSource, Catalogs {
    static final String PID = "io.patchbay.source.catalog";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogSource.class);

    @ObjectClassDefinition(name = "Patchbay application catalog source")
    public @interface Config {
        @AttributeDefinition(description = "Minutes one download may take")
        int downloadTimeoutMinutes() default 30;

        @AttributeDefinition(description = "Minutes one installer may run")
        int installTimeoutMinutes() default 30;

        @AttributeDefinition(description = "Seconds a catalog may take to list its applications")
        int readTimeoutSeconds() default 30;
    }

    /** A catalog service, held by reference; {@code left} turns true when it is unregistered. */
    private static final class CatalogRef {
        final ServiceReference<AppCatalog> ref;
        volatile boolean left;

        CatalogRef(ServiceReference<AppCatalog> ref) {
            this.ref = ref;
        }
    }

    private final BundleContext context;
    private final Config config;
    private final Downloads downloads;
    private final Map<Long, CatalogRef> catalogs = new ConcurrentHashMap<>();
    /** Reads under way, by catalog service id: callers share one, so a catalog that hangs holds one thread. */
    private final Map<Long, Reading> readsUnderWay = new ConcurrentHashMap<>();
    /** Catalog code runs on these threads, owned by Patchbay: never on a caller's, such as Jetty's. */
    private final ExecutorService readers = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "patchbay-catalog-reader-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    @Activate
    public CatalogSource(BundleContext context, Config config, @Reference DataFolder data) {
        this.context = context;
        this.config = config;
        this.downloads = new Downloads(data.path().resolve("catalog-cache"));
    }

    @Reference(service = AppCatalog.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addCatalog(ServiceReference<AppCatalog> ref) {
        catalogs.put((Long) ref.getProperty(Constants.SERVICE_ID), new CatalogRef(ref));
        LOG.info("Application catalog arrived from {} {}", ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion());
    }

    @Deactivate
    void deactivate() {
        readers.shutdownNow();
    }

    void removeCatalog(ServiceReference<AppCatalog> ref) {
        CatalogRef c = catalogs.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (c != null) {
            c.left = true;
        }
    }

    /** Calls a catalog for the length of one use, and gives its service object back. */
    private interface CatalogCall<T> {
        T apply(AppCatalog catalog) throws Exception;
    }

    private <T> Optional<T> call(CatalogRef c, CatalogCall<T> work) throws Exception {
        ServiceObjects<AppCatalog> objects;
        try {
            objects = context.getServiceObjects(c.ref);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        AppCatalog catalog = objects == null ? null : objects.getService();
        if (catalog == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(work.apply(catalog));
        } catch (LinkageError e) {
            // the catalog's bundle is being updated or removed under the call: it is leaving
            LOG.debug("Catalog of {} is leaving: {}", c.ref.getBundle(), e.toString());
            c.left = true;
            return Optional.empty();
        } finally {
            try {
                objects.ungetService(catalog);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the catalog or its bundle has gone
            }
        }
    }

    /** One read of a catalog: its id and name as soon as it said them, then its applications. */
    private static final class Reading {
        final CompletableFuture<Read> done = new CompletableFuture<>();
        final long started = System.nanoTime();
        volatile String id;
        volatile String name;
    }

    /** A catalog that did not list its applications within the time allowed. */
    static final class CatalogTimeout extends Exception {
        private static final long serialVersionUID = 1L;

        CatalogTimeout(String message) {
            super(message);
        }
    }

    private static long serviceId(CatalogRef c) {
        return (Long) c.ref.getProperty(Constants.SERVICE_ID);
    }

    /** Starts a read of the catalog on a reader thread, or joins the one under way. */
    private Reading startOrJoin(CatalogRef c) {
        long key = serviceId(c);
        Reading mine = new Reading();
        Reading running = readsUnderWay.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        try {
            readers.execute(() -> {
                try {
                    mine.done.complete(call(c, catalog -> {
                        mine.id = catalog.id();
                        mine.name = catalog.name();
                        List<AppDTO> apps = catalog.apps();
                        return new Read(c, mine.id, mine.name, apps == null ? List.of() : apps);
                    }).orElse(null));
                } catch (Throwable e) {
                    mine.done.completeExceptionally(e);
                } finally {
                    readsUnderWay.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            readsUnderWay.remove(key, mine);
            mine.done.completeExceptionally(new IllegalStateException("the catalog source is stopping"));
        }
        return mine;
    }

    /**
     * The catalog's applications, read on a reader thread by {@code deadline} ({@link System#nanoTime()}, {@code limit}
     * from the start); empty when the catalog left.
     *
     * @throws CatalogTimeout when it did not answer in time (its read goes on, and later callers join it)
     * @throws Exception what the catalog threw
     */
    private Optional<Read> read(CatalogRef c, Reading r, long deadline, Duration limit) throws Exception {
        try {
            // a read that has already had its time is not waited for again by later callers
            long until = Math.min(deadline, r.started + limit.toNanos());
            return Optional.ofNullable(r.done.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw new CatalogTimeout("catalog " + (r.id == null ? "of " + c.ref.getBundle() : "'" + r.id + "'")
                    + " did not list its applications within " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Duration readLimit() {
        return Duration.ofSeconds(Math.max(1, config.readTimeoutSeconds()));
    }

    private List<CatalogRef> snapshot() {
        List<CatalogRef> list = new ArrayList<>(catalogs.values());
        list.sort(Comparator.comparingLong(c -> (Long) c.ref.getProperty(Constants.SERVICE_ID)));
        return list;
    }

    // ---- Catalogs ----

    @Override
    public List<CatalogDTO> catalogs() {
        List<CatalogRef> all = snapshot();
        List<Reading> started = all.stream().map(this::startOrJoin).toList();
        long end = System.nanoTime() + readLimit().toNanos();
        List<CatalogDTO> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CatalogRef c = all.get(i);
            Reading r = started.get(i);
            CatalogDTO dto = new CatalogDTO();
            dto.bundle = c.ref.getBundle() == null ? null : c.ref.getBundle().getSymbolicName();
            dto.bundleVersion = c.ref.getBundle() == null ? null : c.ref.getBundle().getVersion().toString();
            try {
                Optional<Read> read = read(c, r, end, readLimit());
                if (read.isEmpty()) {
                    continue; // it left
                }
                dto.id = read.get().id();
                dto.name = read.get().name();
                dto.applications = read.get().apps().size();
            } catch (Exception e) {
                dto.id = r.id;
                dto.name = r.name;
                dto.applications = -1;
                dto.problem = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            out.add(dto);
        }
        return out;
    }

    // ---- UpdateSource ----

    /** One catalog's applications as read for one job. */
    private record Read(CatalogRef ref, String id, String name, List<AppDTO> apps) {
    }

    private List<Read> read(JobContext context) {
        List<Read> out = new ArrayList<>();
        List<CatalogRef> all = snapshot();
        List<Reading> started = all.stream().map(this::startOrJoin).toList();
        Duration limit = within(readLimit(), context);
        long end = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < all.size(); i++) {
            try {
                read(all.get(i), started.get(i), end, limit).ifPresent(out::add);
            } catch (Exception e) {
                context.log("a catalog could not be read and is left out: " + (e.getMessage() == null ? e
                        : e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public List<UpdateDTO> scan(Target target, JobContext context) throws Exception {
        DeviceDTO device = target.device();
        String platform = Detector.platformOf(device.osFamily);
        String arch = arch(device.architecture);
        Detector detector = new Detector(target.host());
        List<UpdateDTO> found = new ArrayList<>();
        for (Read r : read(context)) {
            List<UpdateDTO> fromCatalog = new ArrayList<>();
            for (AppDTO app : r.apps()) {
                context.checkCancelled();
                if (!Detector.applies(app.detection, platform)) {
                    continue;
                }
                VersionScheme scheme = scheme(app, context);
                if (scheme == null) {
                    continue;
                }
                Optional<ReleaseDTO> newest = newest(app, scheme, platform, arch);
                if (newest.isEmpty()) {
                    continue;
                }
                Optional<String> installed = detector.detect(app.detection, platform);
                if (installed.isEmpty() || !scheme.isValid(installed.get())) {
                    continue;
                }
                if (scheme.compare(installed.get(), newest.get().version) < 0) {
                    fromCatalog.add(update(r, app, installed.get(), newest.get()));
                }
            }
            if (r.ref().left) {
                context.log("catalog '" + r.id() + "' left during the scan; its " + fromCatalog.size()
                        + " update(s) are not reported (interrupted)");
                continue;
            }
            found.addAll(fromCatalog);
        }
        return found;
    }

    private static UpdateDTO update(Read r, AppDTO app, String installed, ReleaseDTO release) {
        UpdateDTO u = new UpdateDTO();
        u.id = r.id() + "/" + app.id;
        u.name = app.name;
        u.title = app.name + " " + release.version;
        u.installedVersion = installed;
        u.version = release.version;
        u.classification = Classification.APPLICATION.value();
        // a catalog's own rating outside the vocabulary reads as none, so policies see the update
        u.severity = Severity.find(app.severity == null ? null : app.severity.toLowerCase(Locale.ROOT))
                .orElse(Severity.UNSPECIFIED).value();
        u.origin = r.name();
        u.releasedAt = release.releasedAt;
        u.description = app.publisher;
        return u;
    }

    private static VersionScheme scheme(AppDTO app, JobContext context) {
        try {
            return VersionSchemes.get(app.versionScheme);
        } catch (IllegalArgumentException e) {
            context.log("application '" + app.id + "' is left out: " + e.getMessage());
            return null;
        }
    }

    /** The newest release with an installer for the platform and architecture. */
    private static Optional<ReleaseDTO> newest(AppDTO app, VersionScheme scheme, String platform, String arch) {
        return (app.releases == null ? List.<ReleaseDTO>of() : app.releases).stream()
                .filter(r -> r.version != null && scheme.isValid(r.version))
                .filter(r -> installer(r, platform, arch).isPresent())
                .max((a, b) -> scheme.compare(a.version, b.version));
    }

    /** The installer for the platform: the device's architecture first, then a neutral one, then x86 on x64. */
    static Optional<InstallerDTO> installer(ReleaseDTO release, String platform, String arch) {
        List<InstallerDTO> all = release.installers == null ? List.of() : release.installers;
        for (String a : List.of(arch, "neutral", "x64".equals(arch) ? "x86" : arch)) {
            for (InstallerDTO i : all) {
                if (platform.equalsIgnoreCase(i.platform) && a.equalsIgnoreCase(i.architecture == null ? "neutral"
                        : i.architecture)) {
                    return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }

    static String arch(String deviceArch) {
        String a = deviceArch == null ? "" : deviceArch.toLowerCase(Locale.ROOT);
        return switch (a) {
        case "amd64", "x86_64", "x64" -> "x64";
        case "aarch64", "arm64" -> "arm64";
        case "x86", "i386", "i686" -> "x86";
        default -> a;
        };
    }

    @Override
    public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context)
            throws Exception {
        return change(target, updates, context, false);
    }

    @Override
    public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context)
            throws Exception {
        return change(target, updates, context, true);
    }

    private List<UpdateResultDTO> change(Target target, List<UpdateDTO> updates, JobContext context, boolean back)
            throws Exception {
        Host host = target.host();
        String platform = Detector.platformOf(target.device().osFamily);
        String arch = arch(target.device().architecture);
        List<Read> catalogsNow = read(context);
        List<UpdateResultDTO> results = new ArrayList<>();
        int done = 0;
        for (UpdateDTO u : updates) {
            context.progress(done++ * 100 / updates.size(), u.title);
            UpdateResultDTO r = result(u, u.installedVersion);
            results.add(r);
            int slash = u.id.indexOf('/');
            String catalogId = slash < 0 ? null : u.id.substring(0, slash);
            String appId = slash < 0 ? u.id : u.id.substring(slash + 1);
            if (!PackageNames.isCatalogId(catalogId) || !PackageNames.isCatalogId(appId)) {
                fail(r, "'" + u.id + "' is not an update id of the catalog source (<catalog>/<application>, without "
                        + "white space or path characters, not starting with - or .)");
                continue;
            }
            Optional<Read> catalog = catalogsNow.stream().filter(c -> c.id().equals(catalogId)).findFirst();
            if (catalog.isEmpty()) {
                r.status = UpdateStatus.INTERRUPTED;
                r.message = "catalog '" + catalogId + "' is not present now";
                continue;
            }
            Optional<AppDTO> app = catalog.get().apps().stream().filter(a -> appId.equals(a.id)).findFirst();
            if (app.isEmpty()) {
                fail(r, "catalog '" + catalogId + "' no longer offers '" + appId + "'");
                continue;
            }
            VersionScheme scheme = scheme(app.get(), context);
            String wanted = back ? u.installedVersion : u.version;
            if (scheme == null || wanted == null || !scheme.isValid(wanted)) {
                fail(r, wanted == null ? "no version to " + (back ? "roll back to" : "install") + " was given"
                        : "'" + wanted + "' is not a valid " + app.get().versionScheme + " version");
                continue;
            }
            Optional<ReleaseDTO> release = app.get().releases.stream()
                    .filter(rel -> rel.version != null && scheme.isValid(rel.version)
                            && scheme.compare(rel.version, wanted) == 0)
                    .findFirst();
            if (release.isEmpty()) {
                fail(r, back ? "the catalog no longer offers version " + wanted + " of " + app.get().name
                        + "; it cannot be rolled back" : "the catalog does not offer version " + wanted + " of "
                                + app.get().name);
                continue;
            }
            Optional<InstallerDTO> installer = installer(release.get(), platform, arch);
            if (installer.isEmpty()) {
                fail(r, "version " + wanted + " of " + app.get().name + " has no installer for " + platform + " "
                        + arch);
                continue;
            }
            apply(host, platform, app.get(), installer.get(), wanted, back, catalog.get(), r, context);
        }
        context.progress(100, "done");
        return results;
    }

    private void apply(Host host, String platform, AppDTO app, InstallerDTO installer, String wanted, boolean back,
            Read catalog, UpdateResultDTO r, JobContext context) throws InterruptedException {
        Path file;
        try {
            context.log("downloading " + installer.url);
            file = downloads.fetch(installer.url, installer.sha256,
                    within(Duration.ofMinutes(config.downloadTimeoutMinutes()), context));
        } catch (IOException e) {
            fail(r, e.getMessage());
            context.log(e.getMessage());
            return;
        }
        Command command;
        try {
            command = Installers.command(host, installer, file, back);
        } catch (IllegalArgumentException e) {
            fail(r, e.getMessage());
            return;
        }
        if (command == null) {
            fail(r, "installer type '" + installer.type + "' is not one Patchbay can run");
            return;
        }
        if (catalog.ref().left) {
            r.status = UpdateStatus.INTERRUPTED;
            r.message = "catalog '" + catalog.id() + "' left before the installer ran";
            return;
        }
        CommandResult run;
        try {
            run = run(host, command.timeout(within(Duration.ofMinutes(config.installTimeoutMinutes()), context)),
                    context);
        } catch (IOException e) {
            fail(r, "the installer could not be run: " + e.getMessage());
            return;
        }
        List<Integer> ok = installer.successCodes == null || installer.successCodes.isEmpty()
                ? Installers.DEFAULT_SUCCESS : installer.successCodes;
        List<Integer> reboot = installer.rebootCodes == null || installer.rebootCodes.isEmpty()
                ? Installers.DEFAULT_REBOOT : installer.rebootCodes;
        if (!ok.contains(run.exitCode()) && !reboot.contains(run.exitCode())) {
            String said = (run.stderr().isBlank() ? run.stdout() : run.stderr()).strip();
            fail(r, "the installer exited with " + run.exitCode()
                    + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse("")));
            return;
        }
        r.rebootRequired = reboot.contains(run.exitCode());
        if (r.rebootRequired) {
            context.log(app.name + " needs a reboot to finish (exit code " + run.exitCode() + ")");
        }
        Optional<String> now;
        try {
            now = new Detector(host).detect(app.detection, platform);
        } catch (IOException e) {
            now = Optional.empty();
        }
        VersionScheme scheme = VersionSchemes.get(app.versionScheme);
        if (now.isPresent() && scheme.isValid(now.get()) && scheme.compare(now.get(), wanted) == 0) {
            succeed(r, now.get(), null);
        } else if (r.rebootRequired) {
            succeed(r, wanted, "installed; the new version shows after the reboot");
        } else {
            fail(r, "the installer reported success, but " + app.name + " is at "
                    + now.orElse("no detectable version") + " instead of " + wanted);
            r.versionAfter = now.orElse(null);
        }
    }
}
