package io.patchbay.rest.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the API with plain HTTP only on an address other machines cannot reach, unless the network sees HTTPS alone
 * or a reverse proxy: the application component is disabled until this guard has checked where the server listens.
 */
@Component(service = {}, immediate = true)
public class ListenGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ListenGuard.class);

    @Activate
    public ListenGuard(ComponentContext component, BundleContext context) {
        Reachability reach = Reachability.of(context::getProperty);
        reach.refusal().ifPresentOrElse(why -> {
            LOG.error(why);
            System.err.println("patchbay: " + why);
            component.enableComponent(RefusedApiResource.class.getName());
        }, () -> {
            if (reach.networkProtected() && !Reachability.isLoopback(reach.listenHost())) {
                LOG.info("The API is served on {} to the network, over HTTPS or behind a reverse proxy; it answers "
                        + "Host names: loopback, {}", reach.listenHost(), reach.allowedHosts());
            }
            component.enableComponent(PatchbayApplication.class.getName());
        });
    }
}
