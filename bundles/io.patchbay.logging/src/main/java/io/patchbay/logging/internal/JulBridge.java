package io.patchbay.logging.internal;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging records to SLF4J. An activator rather than a component: it must run at an early start
 * level, before Declarative Services and the bundles that log through java.util.logging start.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public class JulBridge implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    @Override
    public void stop(BundleContext context) {
        SLF4JBridgeHandler.uninstall();
    }
}
