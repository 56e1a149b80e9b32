package io.patchbay.run.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * What the runnable jar adds to bnd's launcher once the framework exists:
 * <ul>
 * <li>an orderly stop when the JVM is asked to end (SIGTERM, Ctrl-C): bundles stop, running jobs end INTERRUPTED and
 * are recorded, the store closes. bnd's launcher itself lets the JVM end with the framework running. The stop is
 * bounded by {@code patchbay.stop.timeoutSeconds} (default 30);</li>
 * <li>with the framework storage kept across starts, bundles that an older jar embedded and this one does not (an
 * older version of a library) are uninstalled; bnd's launcher updates the others by digest.</li>
 * </ul>
 */
public class ServerLifecycle implements BundleActivator {
    /** bnd's launcher starts this before the bundles, so even a start that is cut short stops in order. */
    public static final boolean IMMEDIATE = true;
    static final String TIMEOUT = "patchbay.stop.timeoutSeconds";
    /** Where bnd's launcher installs the bundles it embeds: their path inside the jar. */
    static final String EMBEDDED_LOCATION = "jar/";

    private Thread hook;

    @Override
    public void start(BundleContext context) throws BundleException {
        Framework framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(Framework.class);
        long timeoutMillis = 1000L * seconds(context.getProperty(TIMEOUT), 30);
        hook = new Thread(() -> stop(framework, timeoutMillis), "patchbay-orderly-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        removeStaleBundles(context);
    }

    static void stop(Framework framework, long timeoutMillis) {
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(timeoutMillis);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("Patchbay: the framework did not stop within " + timeoutMillis / 1000
                        + " s; exiting anyway");
            }
        } catch (Exception e) {
            System.err.println("Patchbay: the framework could not stop in order: " + e);
        }
    }

    private static void removeStaleBundles(BundleContext context) throws BundleException {
        String embedded = context.getProperty("launch.bundles");
        if (embedded == null) {
            return;
        }
        List<Bundle> stale = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (isStale(b.getLocation(), embedded)) {
                b.uninstall();
                stale.add(b);
            }
        }
        if (!stale.isEmpty()) {
            System.out.println("Patchbay: removed " + stale.size() + " bundle(s) this jar no longer carries: "
                    + stale.stream().map(Bundle::getLocation).collect(Collectors.joining(", ")));
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(stale);
        }
    }

    /** A bundle installed from an earlier jar's embedded bundles that this jar's list does not name. */
    static boolean isStale(String location, String embeddedBundles) {
        Set<String> current = Arrays.stream(embeddedBundles.split(",")).map(String::trim).collect(Collectors.toSet());
        return location != null && location.startsWith(EMBEDDED_LOCATION) && !current.contains(location);
    }

    private static long seconds(String value, long fallback) {
        try {
            return value == null ? fallback : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void stop(BundleContext context) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is ending: the hook is what stops the framework
        }
    }
}
