package io.patchbay.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.agent.BundleProblemDTO;
import io.patchbay.api.agent.SourceBundleDTO;
import io.patchbay.api.source.SourceConstants;

/**
 * Makes the agent's source bundles (those providing the {@code io.patchbay.source} capability) exactly the server's
 * list: downloads each new or changed one, refuses it unless its SHA-256 is the one offered, installs or updates it in
 * place, uninstalls those not offered, and refreshes only the bundles touched. No restart.
 */
final class BundleSync {
    private static final Logger LOG = LoggerFactory.getLogger(BundleSync.class);
    static final String LOCATION = "patchbay-agent:";

    private final BundleContext context;
    private final ServerClient client;
    private final StateFolder state;
    /** Offers refused for their hash since the agent started (symbolic name, version and SHA-256 offered). */
    private final java.util.Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

    BundleSync(BundleContext context, ServerClient client, StateFolder state) {
        this.context = context;
        this.client = client;
        this.state = state;
    }

    /** The source bundles installed now, with the SHA-256 recorded for each when it is still the same bundle. */
    List<BundlePlan.Installed> installed() throws IOException {
        Map<String, StateFolder.BundleRecord> records = state.bundles();
        List<BundlePlan.Installed> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.UNINSTALLED || !isSource(b)) {
                continue;
            }
            StateFolder.BundleRecord r = records.get(b.getSymbolicName());
            String sha = r != null && r.version.equals(b.getVersion().toString()) && r.lastModified == b.getLastModified()
                    ? r.sha256 : null;
            out.add(new BundlePlan.Installed(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), sha));
        }
        return out;
    }

    /** What the agent runs now, for the check-in. */
    List<SourceBundleDTO> running() throws IOException {
        List<SourceBundleDTO> out = new ArrayList<>();
        for (BundlePlan.Installed i : installed()) {
            SourceBundleDTO d = new SourceBundleDTO();
            d.symbolicName = i.symbolicName();
            d.version = i.version();
            d.sha256 = i.sha256();
            out.add(d);
        }
        return out;
    }

    static boolean isSource(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        return rev != null && !rev.getDeclaredCapabilities(SourceConstants.CAPABILITY_NAMESPACE).isEmpty();
    }

    /** Applies the server's list; returns the problems to report at the next check-in. */
    List<BundleProblemDTO> apply(List<SourceBundleDTO> offered) throws IOException, InterruptedException {
        BundlePlan plan = BundlePlan.of(installed(), offered);
        List<BundleProblemDTO> problems = new ArrayList<>(plan.problems);
        if (!plan.changes()) {
            return problems;
        }
        Map<String, StateFolder.BundleRecord> records = state.bundles();
        List<Bundle> touched = new ArrayList<>();
        List<Bundle> toStart = new ArrayList<>();
        Path downloads = state.dir().resolve("downloads");
        for (BundlePlan.Step step : plan.steps) {
            SourceBundleDTO o = step.offered();
            try {
                switch (step.kind()) {
                case KEEP -> {
                }
                case REMOVE -> {
                    Bundle b = context.getBundle(step.installed().bundleId());
                    if (b != null) {
                        LOG.info("Source bundle {} {} is not offered any more: uninstalling it", b.getSymbolicName(),
                                b.getVersion());
                        b.uninstall();
                        touched.add(b);
                        records.remove(b.getSymbolicName());
                    }
                }
                case INSTALL, UPDATE, CHECK -> {
                    if (refused.contains(key(o))) {
                        // refused once and reported: not downloaded again until the server offers other bytes
                        continue;
                    }
                    ServerClient.Download d = client.bundle(o.symbolicName, o.version, downloads);
                    try {
                        if (!d.sha256().equalsIgnoreCase(o.sha256)) {
                            refused.add(key(o));
                            BundleProblemDTO p = BundlePlan.problem(o, "refused: its SHA-256 is " + d.sha256()
                                    + ", not the " + o.sha256 + " the server offered");
                            p.sha256 = d.sha256();
                            problems.add(p);
                            LOG.warn("Source bundle {} {} {}", o.symbolicName, o.version, p.reason);
                            continue;
                        }
                        Bundle b = step.installed() == null ? null : context.getBundle(step.installed().bundleId());
                        if (step.kind() == BundlePlan.Kind.CHECK && b != null) {
                            // the one built into the agent jar may be the very same bytes
                            if (sameBytes(b, d.file())) {
                                records.put(o.symbolicName, record(b, o));
                                continue;
                            }
                        }
                        try (InputStream in = Files.newInputStream(d.file())) {
                            if (b == null) {
                                b = context.installBundle(LOCATION + o.symbolicName, in);
                                LOG.info("Source bundle {} {} installed", o.symbolicName, o.version);
                                toStart.add(b);
                            } else {
                                String before = b.getVersion().toString();
                                b.update(in);
                                LOG.info("Source bundle {} updated in place: {} -> {}", o.symbolicName, before,
                                        b.getVersion());
                                touched.add(b);
                                toStart.add(b);
                            }
                        }
                        records.put(o.symbolicName, record(b, o));
                    } finally {
                        Files.deleteIfExists(d.file());
                    }
                }
                }
            } catch (ServerException e) {
                problems.add(BundlePlan.problem(o, "the download failed: " + e.getMessage()));
            } catch (BundleException | IllegalStateException | SecurityException e) {
                problems.add(BundlePlan.problem(o != null ? o : offeredOf(step), "the framework refused it: "
                        + e.getMessage()));
            }
        }
        if (!touched.isEmpty()) {
            CountDownLatch done = new CountDownLatch(1);
            context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(touched, event -> done.countDown());
            if (!done.await(60, TimeUnit.SECONDS)) {
                LOG.warn("Refreshing the replaced source bundles took more than 60 s");
            }
        }
        for (Bundle b : toStart) {
            if (b.getState() == Bundle.UNINSTALLED || b.getHeaders().get("Fragment-Host") != null) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException | IllegalStateException e) {
                BundleProblemDTO p = new BundleProblemDTO();
                p.symbolicName = b.getSymbolicName();
                p.version = b.getVersion().toString();
                p.reason = "it did not start: " + e.getMessage();
                problems.add(p);
                LOG.warn("Source bundle {} {} did not start: {}", b.getSymbolicName(), b.getVersion(), e.getMessage());
            }
        }
        // the last-modified times changed with the refresh: record them as they are now
        for (Map.Entry<String, StateFolder.BundleRecord> e : records.entrySet()) {
            for (Bundle b : context.getBundles()) {
                if (b.getSymbolicName() != null && b.getSymbolicName().equals(e.getKey())) {
                    e.getValue().lastModified = b.getLastModified();
                }
            }
        }
        state.bundles(records);
        return problems;
    }

    private static String key(SourceBundleDTO o) {
        return o.symbolicName + "@" + o.version + "#" + o.sha256.toLowerCase(java.util.Locale.ROOT);
    }

    private static SourceBundleDTO offeredOf(BundlePlan.Step step) {
        SourceBundleDTO d = new SourceBundleDTO();
        d.symbolicName = step.installed() == null ? null : step.installed().symbolicName();
        d.version = step.installed() == null ? null : step.installed().version();
        return d;
    }

    private static StateFolder.BundleRecord record(Bundle b, SourceBundleDTO o) {
        StateFolder.BundleRecord r = new StateFolder.BundleRecord();
        r.version = o.version;
        r.sha256 = o.sha256.toLowerCase(java.util.Locale.ROOT);
        r.lastModified = b.getLastModified();
        return r;
    }

    /**
     * Whether an installed bundle is the downloaded jar: same manifest and same entries. The framework keeps no copy of
     * the original jar to hash, so the entries are compared one by one.
     */
    static boolean sameBytes(Bundle b, Path jar) {
        try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
            int entries = 0;
            for (java.util.Enumeration<java.util.jar.JarEntry> en = f.entries(); en.hasMoreElements();) {
                java.util.jar.JarEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                entries++;
                java.net.URL url = b.getEntry(e.getName());
                if (url == null) {
                    return false;
                }
                try (InputStream a = url.openStream(); InputStream c = f.getInputStream(e)) {
                    if (!java.util.Arrays.equals(a.readAllBytes(), c.readAllBytes())) {
                        return false;
                    }
                }
            }
            int installedEntries = 0;
            for (java.util.Enumeration<String> en = b.getEntryPaths("/"); en != null && en.hasMoreElements();) {
                en.nextElement();
                installedEntries++;
            }
            return entries > 0 && installedEntries > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
