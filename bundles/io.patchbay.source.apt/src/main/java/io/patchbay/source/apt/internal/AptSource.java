package io.patchbay.source.apt.internal;

import static io.patchbay.api.source.SourceSupport.aim;
import static io.patchbay.api.source.SourceSupport.fail;
import static io.patchbay.api.source.SourceSupport.result;
import static io.patchbay.api.source.SourceSupport.run;
import static io.patchbay.api.source.SourceSupport.succeed;
import static io.patchbay.api.source.SourceSupport.within;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.Severity;
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
 * Debian and Ubuntu packages through apt-get and dpkg, on the device's host. Scans refresh the package lists and
 * ask apt what an upgrade would install; installs and rollbacks name exact versions and are checked against dpkg's
 * database afterwards, so every result says what is really installed.
 */
@Component(service = UpdateSource.class, configurationPid = AptSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@UpdateSourceProperties(type = "apt", platforms = SourceConstants.PLATFORM_LINUX)
@Designate(ocd = AptSource.Config.class)
public class AptSource implements UpdateSource {
    static final String PID = "io.patchbay.source.apt";
    private static final VersionScheme DEB = VersionSchemes.get(VersionSchemes.DEB);

    @ObjectClassDefinition(name = "Patchbay apt source")
    public @interface Config {
        @AttributeDefinition(description = "Seconds apt-get update may take")
        int updateTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Seconds to wait for the dpkg lock held by another process")
        int lockTimeoutSeconds() default 120;

        @AttributeDefinition(description = "Minutes one install or rollback may take at most")
        int installTimeoutMinutes() default 60;

        @AttributeDefinition(description = "Packages whose update needs a reboot (patterns with *)")
        String[] rebootPackages() default { "linux-image-*", "linux-modules-*", "linux-firmware", "linux-base",
                "libc6", "libc-bin", "systemd", "systemd-sysv", "libsystemd0", "dbus", "dbus-daemon", "libdbus-1-3",
                "openssl", "libssl*", "intel-microcode", "amd64-microcode", "grub-*", "shim-signed" };
    }

    private final Config config;
    private final List<Pattern> rebootPatterns = new ArrayList<>();

    @Activate
    public AptSource(Config config) {
        this.config = config;
        for (String p : config.rebootPackages()) {
            rebootPatterns.add(Pattern.compile(p.replace(".", "\\.").replace("*", ".*")));
        }
    }

    /** Options that point apt at the package lists, caches and dpkg database inside the host's root folder. */
    private static List<String> aptDirs(Host host) {
        String root = host.root();
        if ("/".equals(root)) {
            return List.of();
        }
        return List.of("-o", "Dir=" + root, "-o", "Dir::State::status=" + root + "/var/lib/dpkg/status");
    }

    /** apt-get options that keep every file it and dpkg touch inside the host's root folder. */
    private static List<String> aptRoot(Host host) {
        List<String> options = new ArrayList<>(aptDirs(host));
        for (String dpkg : dpkgRoot(host)) {
            options.add("-o");
            options.add("DPkg::Options::=" + dpkg);
        }
        return options;
    }

    private static List<String> dpkgRoot(Host host) {
        String root = host.root();
        return "/".equals(root) ? List.of()
                : List.of("--root=" + root, "--admindir=" + root + "/var/lib/dpkg", "--force-script-chrootless");
    }

    private static List<String> argv(String program, List<String> rootOptions, String... rest) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(rootOptions);
        argv.addAll(List.of(rest));
        return argv;
    }

    private static Command noninteractive(Command c) {
        return c.env("DEBIAN_FRONTEND", "noninteractive").env("APT_LISTCHANGES_FRONTEND", "none")
                .env("NEEDRESTART_SUSPEND", "1");
    }

    @Override
    public List<UpdateDTO> scan(Target target, JobContext context) throws Exception {
        Host host = target.host();
        context.progress(5, "refreshing package lists");
        CommandResult update = refresh(host, context);
        if (update.exitCode() != 0) {
            throw new IOException("apt-get update failed: " + AptOutput.errors(update.stdout(), update.stderr()));
        }
        context.progress(60, "computing upgrades");
        CommandResult sim = run(host, noninteractive(Command.of(argv("apt-get", aptRoot(host), "-s", "-q", "-o",
                "Debug::NoLocking=1", "dist-upgrade"))).timeout(within(Duration.ofMinutes(5), context)), context);
        if (sim.exitCode() != 0) {
            throw new IOException("apt-get could not compute upgrades: " + AptOutput.errors(sim.stdout(),
                    sim.stderr()));
        }
        if (host.exists("/var/run/reboot-required") || host.exists("/run/reboot-required")) {
            context.log("the device is waiting for a reboot (/var/run/reboot-required)");
        }
        List<UpdateDTO> found = new ArrayList<>();
        for (AptOutput.Upgrade u : AptOutput.simulatedUpgrades(sim.stdout())) {
            UpdateDTO dto = new UpdateDTO();
            dto.id = u.name();
            dto.name = u.name();
            dto.title = u.name() + " " + u.candidate();
            dto.installedVersion = u.installed();
            dto.version = u.candidate();
            dto.origin = String.join(", ", u.origins());
            dto.classification = (u.security() ? Classification.SECURITY : Classification.UPDATE).value();
            dto.severity = Severity.UNSPECIFIED.value();
            dto.rebootRequired = needsReboot(u.name());
            found.add(dto);
        }
        context.log(found.size() + " upgradable package(s)");
        return found;
    }

    /** apt-get update: the package lists as the repositories have them now. */
    private CommandResult refresh(Host host, JobContext context) throws IOException, InterruptedException {
        return run(host, noninteractive(Command.of(argv("apt-get", aptRoot(host), "-q", "-o",
                "DPkg::Lock::Timeout=" + config.lockTimeoutSeconds(), "update")))
                .timeout(within(Duration.ofSeconds(config.updateTimeoutSeconds()), context)), context);
    }

    private String busy() {
        return "the package manager is busy: another process held the dpkg lock for more than "
                + config.lockTimeoutSeconds() + " s";
    }

    boolean needsReboot(String name) {
        String bare = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return rebootPatterns.stream().anyMatch(p -> p.matcher(bare).matches());
    }

    private Map<String, AptOutput.Installed> installed(Host host, List<String> names, JobContext context)
            throws IOException, InterruptedException {
        List<String> argv = argv("dpkg-query", "/".equals(host.root()) ? List.of()
                : List.of("--admindir=" + host.root() + "/var/lib/dpkg"), "-W", "-f",
                "${Package}\\t${Version}\\t${db:Status-Abbrev}\\n", "--");
        argv.addAll(names);
        // dpkg-query exits 1 when a name is not installed; what it printed for the others still counts
        CommandResult r = host.run(Command.of(argv).timeout(Duration.ofMinutes(2)));
        return AptOutput.installed(r.stdout());
    }

    private Map<String, List<String>> available(Host host, List<String> names, JobContext context)
            throws IOException, InterruptedException {
        List<String> argv = argv("apt-cache", aptDirs(host), "madison", "--");
        argv.addAll(names);
        return AptOutput.madison(run(host, Command.of(argv).timeout(Duration.ofMinutes(2)), context).stdout());
    }

    @Override
    public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context)
            throws Exception {
        return change(target.host(), updates, context, false);
    }

    @Override
    public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context)
            throws Exception {
        return change(target.host(), updates, context, true);
    }

    /**
     * Installs each update at its version (or, rolling back, at its {@code installedVersion}) in one apt-get run,
     * after refusing the ones that cannot be done, and reports what dpkg's database says afterwards.
     */
    private List<UpdateResultDTO> change(Host host, List<UpdateDTO> updates, JobContext context, boolean rollback)
            throws Exception {
        List<String> names = updates.stream().map(u -> u.name != null ? u.name : u.id).toList();
        // a name or version outside Debian's grammar never reaches a package tool, where it could act as an option
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            problems.add(PackageNames.problemDebian(names.get(i), rollback ? updates.get(i).installedVersion
                    : updates.get(i).version));
        }
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (problems.get(i) == null && !operands.contains(names.get(i))) {
                operands.add(names.get(i));
            }
        }
        if (operands.isEmpty()) {
            List<UpdateResultDTO> refused = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                refused.add(fail(result(updates.get(i), null), problems.get(i)));
            }
            return refused;
        }
        CommandResult update = refresh(host, context);
        if (update.exitCode() != 0) {
            String output = update.stdout() + "\n" + update.stderr();
            throw new IOException(AptOutput.lockHeld(output) ? busy()
                    : "apt-get update failed: " + AptOutput.errors(update.stdout(), update.stderr()));
        }
        Map<String, AptOutput.Installed> before = installed(host, operands, context);
        Map<String, List<String>> offered = available(host, operands, context);
        Map<String, UpdateResultDTO> results = new java.util.LinkedHashMap<>();
        List<String> specs = new ArrayList<>();
        List<UpdateDTO> attempted = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            UpdateDTO u = updates.get(i);
            String name = names.get(i);
            if (problems.get(i) != null) {
                results.put(u.id, fail(result(u, null), problems.get(i)));
                continue;
            }
            AptOutput.Installed now = before.get(name);
            UpdateResultDTO r = result(u, now == null ? null : now.version());
            results.put(u.id, r);
            String aim = aim(u, name, now == null ? null : now.version(), now != null && now.configured(), rollback,
                    false, DEB, r);
            if (aim == null) {
                continue;
            }
            String wanted = aim.isEmpty() ? null : aim;
            List<String> versions = offered.getOrDefault(name, List.of());
            String spec = wanted == null ? name : name + "=" + wanted;
            if (wanted != null && versions.stream().noneMatch(v -> DEB.compare(v, wanted) == 0)) {
                Optional<String> cached = cachedDeb(host, name, wanted);
                if (cached.isEmpty()) {
                    fail(r, rollback
                            ? "version " + wanted + " of " + name + " is no longer available from any repository "
                                    + "or the local package cache; it cannot be rolled back"
                            : "version " + wanted + " of " + name + " is not available from any configured "
                                    + "repository" + (versions.isEmpty() ? "" : " (available: "
                                            + String.join(", ", versions) + ")"));
                    continue;
                }
                spec = cached.get();
            }
            specs.add(spec);
            attempted.add(u);
        }
        if (specs.isEmpty()) {
            return List.copyOf(results.values());
        }
        context.progress(20, (rollback ? "rolling back " : "installing ") + specs.size() + " package(s)");
        List<String> argv = argv("apt-get", aptRoot(host), "-y", "-q", "-o",
                "DPkg::Lock::Timeout=" + config.lockTimeoutSeconds(), "-o", "Dpkg::Options::=--force-confdef", "-o",
                "Dpkg::Options::=--force-confold");
        if (rollback) {
            argv.add("--allow-downgrades");
        }
        argv.add("install");
        argv.add("--");
        argv.addAll(specs);
        CommandResult apt = run(host, noninteractive(Command.of(argv))
                .timeout(within(Duration.ofMinutes(config.installTimeoutMinutes()), context)), context);
        String output = apt.stdout() + "\n" + apt.stderr();
        apt.stdout().lines().filter(l -> l.startsWith("Setting up") || l.startsWith("Unpacking")
                || l.startsWith("dpkg:") || l.startsWith("E:")).forEach(context::log);
        if (apt.exitCode() != 0 && AptOutput.lockHeld(output)) {
            attempted.forEach(u -> fail(results.get(u.id), busy()));
            return List.copyOf(results.values());
        }
        Map<String, AptOutput.Installed> after = installed(host, operands, context);
        if (apt.exitCode() != 0 && after.values().stream().anyMatch(i -> !i.configured())) {
            // leave dpkg's database consistent: finish what can be finished, and report what cannot
            context.log("apt-get failed; running dpkg --configure -a");
            CommandResult fix = host.run(noninteractive(Command.of(argv("dpkg", dpkgRoot(host), "--configure",
                    "--force-confdef", "--force-confold", "-a"))).timeout(Duration.ofMinutes(10)));
            output += "\n" + fix.stdout() + "\n" + fix.stderr();
            after = installed(host, operands, context);
        }
        boolean reboot = host.exists("/var/run/reboot-required") || host.exists("/run/reboot-required");
        for (UpdateDTO u : attempted) {
            String name = u.name != null ? u.name : u.id;
            String wanted = rollback ? u.installedVersion : u.version;
            UpdateResultDTO r = results.get(u.id);
            AptOutput.Installed now = after.get(name);
            r.versionAfter = now == null ? null : now.version();
            boolean right = now != null && now.configured()
                    && (wanted == null ? apt.exitCode() == 0 : DEB.compare(now.version(), wanted) == 0);
            if (right) {
                succeed(r, now.version(), null);
                r.rebootRequired = needsReboot(name) || reboot && !rollback;
            } else {
                String why = AptOutput.dpkgErrorFor(output, name);
                if (why == null) {
                    why = AptOutput.errors(apt.stdout(), apt.stderr());
                }
                if (now != null && !now.configured()) {
                    why += " (" + name + " is left in dpkg state '" + now.status() + "')";
                }
                fail(r, why);
            }
        }
        context.progress(100, "done");
        return List.copyOf(results.values());
    }

    /** A .deb of that version in apt's cache, for rollbacks whose version left the repositories. */
    private static Optional<String> cachedDeb(Host host, String name, String version) throws IOException {
        String prefix = name + "_" + version.replace(":", "%3a") + "_";
        String dir = "/var/cache/apt/archives";
        for (String f : host.list(dir)) {
            if (f.startsWith(prefix) && f.endsWith(".deb")) {
                String root = "/".equals(host.root()) ? "" : host.root();
                return Optional.of(root + dir + "/" + f);
            }
        }
        return Optional.empty();
    }
}
