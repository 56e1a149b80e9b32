package io.patchbay.itest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.patchbay.api.Devices;
import io.patchbay.api.HostProvider;

/** Points the server's own device at a folder, as an operator would with its configuration, and back. */
final class LocalDeviceRoot implements AutoCloseable {
    private static final String PID = "io.patchbay.core.localdevice";
    private final BundleContext context = FrameworkUtil.getBundle(LocalDeviceRoot.class).getBundleContext();
    private final Configuration configuration;

    LocalDeviceRoot(Path root) throws IOException, InterruptedException {
        configuration = configurationAdmin().getConfiguration(PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("root", root.toString());
        configuration.update(props);
        Await.until("the local device rooted at " + root, Duration.ofSeconds(20), () -> root.toString()
                .equals(host().map(h -> h.root()).orElse(null)));
    }

    private ConfigurationAdmin configurationAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    private java.util.Optional<io.patchbay.api.source.Host> host() {
        ServiceReference<Devices> devices = context.getServiceReference(Devices.class);
        ServiceReference<HostProvider> hosts = context.getServiceReference(HostProvider.class);
        if (devices == null || hosts == null) {
            return java.util.Optional.empty();
        }
        return context.getService(devices).get("local").flatMap(d -> context.getService(hosts).hostFor(d));
    }

    @Override
    public void close() throws Exception {
        configuration.delete();
        Await.until("the local device back at /", Duration.ofSeconds(20),
                () -> "/".equals(host().map(h -> h.root()).orElse(null)));
    }
}
