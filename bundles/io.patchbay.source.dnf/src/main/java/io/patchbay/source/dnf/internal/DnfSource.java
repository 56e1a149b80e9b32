package io.patchbay.source.dnf.internal;

import static io.patchbay.api.source.SourceSupport.aim;
import static io.patchbay.api.source.SourceSupport.fail;
import static io.patchbay.api.source.SourceSupport.result;
import static io.patchbay.api.source.SourceSupport.run;
import static io.patchbay.api.source.SourceSupport.succeed;
import static io.patchbay.api.source.SourceSupport.within;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * RHEL, CentOS, Fedora and their kin through dnf, or yum where dnf is absent (RHEL/CentOS 7), and rpm. Scans use
 * {@code check-update} (exit 100 means updates exist) and {@code updateinfo} for advisories; installs and rollbacks
 * name exact versions and are checked against the rpm database afterwards. A rollback downgrades each package to the
 * version it had: undoing a whole history transaction would also revert packages nobody asked about.
 */
@Component(service = UpdateSource.class, configurationPid = DnfSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@UpdateSourceProperties(type = "dnf", platforms = SourceConstants.PLATFORM_LINUX)
@Designate(ocd = DnfSource.Config.class)
public class DnfSource implements UpdateSource {
    static final String PID = "io.patchbay.source.dnf";
    private static final VersionScheme RPM = VersionSchemes.get(VersionSchemes.RPM);
    private static final DateTimeFormatter UPDATED = DateTimeFormatter.ofPattern("yyyy-MM-dd[ HH:mm:ss]");

    @ObjectClassDefinition(name = "Patchbay dnf source")
    public @interface Config {
        @AttributeDefinition(description = "Seconds refreshing repository metadata may take")
        int refreshTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Seconds one install or rollback may take, waiting for the rpm lock included")
        int installTimeoutSeconds() default 3600;

        @AttributeDefinition(description = "Packages whose update needs a reboot (patterns with *)")
        String[] rebootPackages() default { "kernel", "kernel-*", "glibc", "glibc-*", "systemd", "systemd-*",
                "dbus", "dbus-*", "linux-firmware", "microcode_ctl", "openssl-libs", "grub2-*", "shim-*" };
    }

    private final Config config;
    private final List<Pattern> rebootPatterns = new ArrayList<>();

    @Activate
    public DnfSource(Config config) {
        this.config = config;
        for (String p : config.rebootPackages()) {
            rebootPatterns.add(Pattern.compile(p.replace(".", "\\.").replace("*", ".*")));
        }
    }

    /** dnf or yum with the options that keep it inside the host's root folder. */
    private List<String> tool(Host host, JobContext context, String... rest) throws IOException, InterruptedException {
        CommandResult which = host.run(Command.of("sh", "-c", "command -v dnf || command -v yum")
                .timeout(Duration.ofSeconds(30)));
        String path = which.stdout().strip();
        if (which.exitCode() != 0 || path.isEmpty()) {
            throw new IOException("neither dnf nor yum is installed on this device");
        }
        List<String> argv = new ArrayList<>();
        argv.add(path.substring(path.lastIndexOf('/') + 1));
        if (!"/".equals(host.root())) {
            argv.add("--installroot=" + host.root());
            String release = releasever(host);
            if (release != null) {
                argv.add("--releasever=" + release);
            }
        }
        argv.addAll(List.of(rest));
        return argv;
    }

    /** The device's release (VERSION_ID of os-release), which a rooted dnf cannot find in an rpm database. */
    private static String releasever(Host host) throws IOException {
        return host.readFile("/etc/os-release").flatMap(text -> text.lines().filter(l -> l.startsWith("VERSION_ID="))
                .map(l -> l.substring("VERSION_ID=".length()).replace("\"", "").strip()).findFirst()).orElse(null);
    }

    private Map<String, String> installed(Host host) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("rpm"));
        if (!"/".equals(host.root())) {
            argv.add("--root=" + host.root());
        }
        argv.addAll(List.of("-qa", "--qf", "%{NAME}.%{ARCH}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n"));
        CommandResult r = host.run(Command.of(argv).timeout(Duration.ofMinutes(2)));
        if (r.exitCode() != 0) {
            throw new IOException("rpm could not read its database: " + r.stderr().strip());
        }
        return DnfOutput.installed(r.stdout());
    }

    @Override
    public List<UpdateDTO> scan(Target target, JobContext context) throws Exception {
        Host host = target.host();
        context.progress(5, "checking for updates");
        CommandResult check = run(host, Command.of(tool(host, context, "-q", "--refresh", "check-update"))
                .timeout(within(Duration.ofSeconds(config.refreshTimeoutSeconds()), context)), context);
        if (check.exitCode() != 0 && check.exitCode() != 100) {
            throw new IOException("check-update failed: " + DnfOutput.errors(check.stdout(), check.stderr()));
        }
        List<DnfOutput.PackageLine> lines = check.exitCode() == 100 ? DnfOutput.packages(check.stdout()) : List.of();
        if (lines.isEmpty()) {
            context.log("no updates");
            return List.of();
        }
        Map<String, String> installed = installed(host);
        context.progress(50, "reading advisories");
        CommandResult info = run(host, Command.of(tool(host, context, "-q", "-v", "updateinfo", "info", "--updates"))
                .timeout(within(Duration.ofMinutes(5), context)), context);
        Map<String, DnfOutput.Advisory> advisoryByFile = new HashMap<>();
        if (info.exitCode() == 0) {
            for (DnfOutput.Advisory a : DnfOutput.advisories(info.stdout())) {
                a.files().forEach(f -> advisoryByFile.put(f, a));
            }
        } else {
            context.log("advisories are not available: " + DnfOutput.errors(info.stdout(), info.stderr()));
        }
        Set<String> reboot = rebootSuggested(host);
        List<UpdateDTO> found = new ArrayList<>();
        for (DnfOutput.PackageLine p : lines) {
            UpdateDTO u = new UpdateDTO();
            u.id = p.key();
            u.name = p.name();
            u.version = p.evr();
            u.installedVersion = installed.get(p.key());
            u.title = p.name() + " " + p.evr();
            u.origin = p.repo();
            String vr = p.evr().contains(":") ? p.evr().substring(p.evr().indexOf(':') + 1) : p.evr();
            DnfOutput.Advisory a = advisoryByFile.get(p.name() + "-" + vr + "." + p.arch() + ".rpm");
            if (a != null) {
                u.advisory = a.id();
                // an advisory type or severity outside the vocabulary reads as the plain case, so policies see it
                u.classification = Classification.find(a.type() == null ? null : a.type().toLowerCase(Locale.ROOT))
                        .orElse(Classification.UPDATE).value();
                u.severity = Severity.find(a.severity() == null ? null : a.severity().toLowerCase(Locale.ROOT))
                        .orElse(Severity.UNSPECIFIED).value();
                u.cves = a.cves();
                u.description = a.title();
                u.releasedAt = instant(a.updated());
            } else {
                u.classification = Classification.UPDATE.value();
                u.severity = Severity.UNSPECIFIED.value();
            }
            u.rebootRequired = needsReboot(p.name()) || reboot.contains(p.name() + "-" + vr);
            found.add(u);
        }
        context.log(found.size() + " update(s)");
        return found;
    }

    /** Packages whose advisory in the cached repository metadata suggests a reboot (not printed by updateinfo). */
    private static Set<String> rebootSuggested(Host host) throws IOException, InterruptedException {
        String root = "/".equals(host.root()) ? "" : host.root();
        String script = "find " + root + "/var/cache/dnf " + root + "/var/cache/yum -name '*updateinfo.xml*' "
                + "2>/dev/null | while read -r f; do case \"$f\" in *.gz) zcat \"$f\";; *.bz2) bzcat \"$f\";; "
                + "*.xz) xzcat \"$f\";; *.zst) zstdcat \"$f\";; *) cat \"$f\";; esac 2>/dev/null; done";
        CommandResult r = host.run(Command.of("sh", "-c", script).timeout(Duration.ofMinutes(2)));
        return DnfOutput.rebootSuggested(r.stdout());
    }

    boolean needsReboot(String name) {
        return rebootPatterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static Instant instant(String updated) {
        if (updated == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(updated.strip(), UPDATED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(updated.strip().substring(0, 10)).atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e2) {
                return null;
            }
        }
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

    private static String key(UpdateDTO u) {
        return u.id.contains(".") ? u.id : u.id + "." + "noarch";
    }

    private List<UpdateResultDTO> change(Host host, List<UpdateDTO> updates, JobContext context, boolean rollback)
            throws Exception {
        // a name or version outside rpm's grammar never reaches rpm or dnf, where it could act as an option
        Map<UpdateDTO, String> problems = new java.util.IdentityHashMap<>();
        for (UpdateDTO u : updates) {
            String name = u.name != null ? u.name : u.id;
            String problem = PackageNames.problemRpm(PackageNames.isRpmName(u.id) ? name : u.id,
                    rollback ? u.installedVersion : u.version);
            if (problem != null) {
                problems.put(u, problem);
            }
        }
        List<String> names = updates.stream().filter(u -> !problems.containsKey(u))
                .map(u -> u.name != null ? u.name : u.id.replaceFirst("\\.[^.]+$", "")).distinct().toList();
        if (names.isEmpty()) {
            return updates.stream().map(u -> fail(result(u, null), problems.get(u))).toList();
        }
        Map<String, String> before = installed(host);
        List<String> listArgs = new ArrayList<>(List.of("-q", "--refresh", "list", "--showduplicates", "--available",
                "--"));
        listArgs.addAll(names);
        CommandResult list = run(host, Command.of(tool(host, context, listArgs.toArray(String[]::new)))
                .timeout(within(Duration.ofSeconds(config.refreshTimeoutSeconds()), context)), context);
        if (list.exitCode() != 0 && !list.stderr().contains("No matching Packages")) {
            throw new IOException("could not read the repositories: " + DnfOutput.errors(list.stdout(),
                    list.stderr()));
        }
        Map<String, List<String>> offered = new HashMap<>();
        for (DnfOutput.PackageLine p : DnfOutput.packages(list.stdout())) {
            offered.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.evr());
        }
        Map<String, UpdateResultDTO> results = new LinkedHashMap<>();
        List<String> specs = new ArrayList<>();
        List<UpdateDTO> attempted = new ArrayList<>();
        for (UpdateDTO u : updates) {
            if (problems.containsKey(u)) {
                results.put(u.id, fail(result(u, null), problems.get(u)));
                continue;
            }
            String key = resolveKey(u, before, offered);
            String name = key.substring(0, key.lastIndexOf('.'));
            String arch = key.substring(key.lastIndexOf('.') + 1);
            String now = before.get(key);
            UpdateResultDTO r = result(u, now);
            results.put(u.id, r);
            String wanted = aim(u, name, now, true, rollback, true, RPM, r);
            if (wanted == null) {
                continue;
            }
            List<String> versions = offered.getOrDefault(key, List.of());
            if (versions.stream().noneMatch(v -> RPM.compare(v, wanted) == 0)) {
                fail(r, rollback
                        ? "version " + wanted + " of " + name + " is no longer available from any repository; it "
                                + "cannot be rolled back"
                        : "version " + wanted + " of " + name + " is not available from any enabled repository"
                                + (versions.isEmpty() ? "" : " (available: " + String.join(", ", versions) + ")"));
                continue;
            }
            specs.add(name + "-" + wanted + "." + arch);
            attempted.add(u);
        }
        if (specs.isEmpty()) {
            return List.copyOf(results.values());
        }
        context.progress(20, (rollback ? "downgrading " : "installing ") + specs.size() + " package(s)");
        List<String> args = new ArrayList<>(List.of("-y", rollback ? "downgrade" : "install", "--"));
        args.addAll(specs);
        CommandResult dnf;
        try {
            dnf = run(host, Command.of(tool(host, context, args.toArray(String[]::new)))
                    .timeout(within(Duration.ofSeconds(config.installTimeoutSeconds()), context)), context);
        } catch (IOException e) {
            // killed at its time limit: say so plainly, and whether it was waiting for another package manager
            throw new IOException(e.getMessage() + "; another package manager may hold the rpm lock", e);
        }
        String output = dnf.stdout() + "\n" + dnf.stderr();
        output.lines().filter(l -> l.contains("Upgrading") || l.contains("Downgrading") || l.contains("Installing")
                || l.startsWith("Error") || l.startsWith("error:")).forEach(context::log);
        Map<String, String> after = installed(host);
        for (UpdateDTO u : attempted) {
            String key = resolveKey(u, before, offered);
            String name = key.substring(0, key.lastIndexOf('.'));
            String wanted = rollback ? u.installedVersion : u.version;
            UpdateResultDTO r = results.get(u.id);
            String now = after.get(key);
            r.versionAfter = now;
            String scriptlet = DnfOutput.scriptletError(output, name);
            if (now != null && RPM.compare(now, wanted) == 0 && scriptlet == null) {
                succeed(r, now, null);
                r.rebootRequired = needsReboot(name);
            } else if (now != null && RPM.compare(now, wanted) == 0) {
                fail(r, scriptlet + " (" + name + " " + now + " is installed, but its scriptlet did not complete)");
            } else {
                fail(r, DnfOutput.lockHeld(output) ? "the package manager is busy: another process holds the rpm lock"
                        : DnfOutput.errors(dnf.stdout(), dnf.stderr()));
            }
        }
        context.progress(100, "done");
        return List.copyOf(results.values());
    }

    /** The name.arch an update means: its id when it names one, else the installed or offered package by that name. */
    private static String resolveKey(UpdateDTO u, Map<String, String> installed, Map<String, List<String>> offered) {
        if (installed.containsKey(u.id) || offered.containsKey(u.id)) {
            return u.id;
        }
        String name = u.name != null ? u.name : u.id;
        for (String k : installed.keySet()) {
            if (k.substring(0, k.lastIndexOf('.')).equals(name)) {
                return k;
            }
        }
        for (String k : offered.keySet()) {
            if (k.substring(0, k.lastIndexOf('.')).equals(name)) {
                return k;
            }
        }
        return key(u);
    }
}
