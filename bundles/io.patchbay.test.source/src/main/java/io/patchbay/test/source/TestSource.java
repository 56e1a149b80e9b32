package io.patchbay.test.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.source.JobContext;
import io.patchbay.api.source.SourceConstants;
import io.patchbay.api.source.Target;
import io.patchbay.api.source.UpdateSource;
import io.patchbay.api.source.UpdateSourceProperties;

/**
 * An update source whose "packages" live in memory, per device: for exercising the core, the hot-swap protocol and
 * the API without touching a machine. It behaves as configured: how long each install takes, whether it honours
 * cancellation, which updates fail.
 */
@Component(service = UpdateSource.class, configurationPid = TestSource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@UpdateSourceProperties(type = "test", platforms = { SourceConstants.PLATFORM_LINUX, SourceConstants.PLATFORM_WINDOWS,
        SourceConstants.PLATFORM_MACOS })
@Designate(ocd = TestSource.Config.class, factory = true)
public class TestSource implements UpdateSource {
    static final String PID = "io.patchbay.test.source";

    @ObjectClassDefinition(name = "Patchbay test source")
    public @interface Config {
        /** Packages as {@code name:installed:available}. */
        String[] packages() default { "hello:1.0:1.1", "world:2.0:2.1" };

        /** Milliseconds each install or rollback step takes. */
        long stepMillis() default 0;

        /** Keep working when asked to stop (only an interrupt stops it), like a badly behaved plugin. */
        boolean ignoreCancel() default false;

        /** Names of packages whose install fails. */
        String[] failing() default {};

        /** Names of packages whose install needs a reboot. */
        String[] rebootPackages() default {};
    }

    private record Offer(String installed, String available) {
    }

    private final Config config;
    private final Map<String, Offer> offers = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> installed = new ConcurrentHashMap<>();

    @Activate
    public TestSource(Config config) {
        this.config = config;
        for (String spec : config.packages()) {
            String[] p = spec.split(":");
            if (p.length != 3) {
                throw new IllegalArgumentException("packages: expected name:installed:available, was '" + spec + "'");
            }
            offers.put(p[0], new Offer(p[1], p[2]));
        }
    }

    private Map<String, String> device(Target target) {
        return installed.computeIfAbsent(target.device().id, id -> {
            Map<String, String> m = new ConcurrentHashMap<>();
            offers.forEach((name, offer) -> m.put(name, offer.installed()));
            return m;
        });
    }

    @Override
    public List<UpdateDTO> scan(Target target, JobContext context) {
        // tests read from the job log what reached the source from the device's group and the run's policy
        context.log("settings: " + target.settings());
        Map<String, String> state = device(target);
        List<UpdateDTO> found = new ArrayList<>();
        offers.forEach((name, offer) -> {
            if (!offer.available().equals(state.get(name))) {
                UpdateDTO u = new UpdateDTO();
                u.id = name;
                u.name = name;
                u.title = name + " " + offer.available();
                u.installedVersion = state.get(name);
                u.version = offer.available();
                u.classification = Classification.BUGFIX.value();
                u.severity = Severity.UNSPECIFIED.value();
                found.add(u);
            }
        });
        context.log("scanned " + offers.size() + " package(s)");
        return found;
    }

    @Override
    public List<UpdateResultDTO> install(Target target, List<UpdateDTO> updates, JobContext context)
            throws InterruptedException {
        Map<String, String> state = device(target);
        List<UpdateResultDTO> results = new ArrayList<>();
        Set<String> failing = Set.of(config.failing());
        for (UpdateDTO u : updates) {
            step(context);
            Offer offer = offers.get(u.id);
            String wanted = u.version == null && offer != null ? offer.available() : u.version;
            if (offer == null) {
                results.add(result(u, UpdateStatus.FAILED, "no package '" + u.id + "'", null, null));
            } else if (!offer.available().equals(wanted)) {
                results.add(result(u, UpdateStatus.FAILED, "version " + wanted + " of " + u.id
                        + " is not offered (available: " + offer.available() + ")", state.get(u.id), state.get(u.id)));
            } else if (failing.contains(u.id)) {
                results.add(result(u, UpdateStatus.FAILED, "installing " + u.id + " failed", state.get(u.id),
                        state.get(u.id)));
            } else {
                String before = state.put(u.id, wanted);
                context.log("installed " + u.id + " " + wanted);
                UpdateResultDTO r = result(u, UpdateStatus.SUCCEEDED, null, before, wanted);
                r.rebootRequired = Set.of(config.rebootPackages()).contains(u.id);
                results.add(r);
            }
        }
        return results;
    }

    @Override
    public List<UpdateResultDTO> rollback(Target target, List<UpdateDTO> updates, JobContext context)
            throws InterruptedException {
        Map<String, String> state = device(target);
        List<UpdateResultDTO> results = new ArrayList<>();
        for (UpdateDTO u : updates) {
            step(context);
            if (!offers.containsKey(u.id) || u.installedVersion == null) {
                results.add(result(u, UpdateStatus.FAILED, "nothing to roll " + u.id + " back to", null, null));
                continue;
            }
            String before = state.put(u.id, u.installedVersion);
            context.log("rolled " + u.id + " back to " + u.installedVersion);
            results.add(result(u, UpdateStatus.SUCCEEDED, null, before, u.installedVersion));
        }
        return results;
    }

    private void step(JobContext context) throws InterruptedException {
        long end = System.currentTimeMillis() + config.stepMillis();
        do {
            if (!config.ignoreCancel() && context.isCancelled()) {
                throw new CancellationException(context.cancelReason());
            }
            long left = end - System.currentTimeMillis();
            if (left > 0) {
                Thread.sleep(Math.min(left, 20));
            }
        } while (System.currentTimeMillis() < end);
    }

    private static UpdateResultDTO result(UpdateDTO u, UpdateStatus status, String message, String before,
            String after) {
        UpdateResultDTO r = new UpdateResultDTO();
        r.updateId = u.id;
        r.title = u.title;
        r.status = status;
        r.message = message;
        r.versionBefore = before;
        r.versionAfter = after;
        return r;
    }
}
