package io.patchbay.rest.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the API only on an address other machines cannot reach, unless the operator opted in: the application
 * component is disabled until this guard has checked where the server listens.
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
            if (reach.allowRemote() && !Reachability.isLoopback(reach.listenHost())) {
                LOG.warn("The API is served on {} to the network without authentication ({}=true); it answers "
                        + "Host names: loopback, {}", reach.listenHost(), Reachability.ALLOW_REMOTE,
                        reach.allowedHosts());
            }
            component.enableComponent(PatchbayApplication.class.getName());
        });
    }
}
