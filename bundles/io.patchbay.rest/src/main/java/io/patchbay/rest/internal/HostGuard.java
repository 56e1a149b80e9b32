package io.patchbay.rest.internal;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * Answers 421 to a request whose {@code Host} is not a name of this server: a page that rebinds its own DNS name to
 * this machine (DNS rebinding) would otherwise read and change everything through the visitor's browser.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsApplicationSelect(PatchbayApplication.SELECT_WITH_DEFAULT)
@PreMatching
public class HostGuard implements ContainerRequestFilter {
    static final int MISDIRECTED = 421;
    private final BundleContext context;

    @Activate
    public HostGuard(BundleContext context) {
        this.context = context;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String host = request.getHeaderString(HttpHeaders.HOST);
        // read on each request, so allowed names set as system properties take effect without a restart
        if (!Reachability.of(context::getProperty).acceptsHost(host)) {
            request.abortWith(ProblemMapper.problem(MISDIRECTED, "Misdirected Request", host == null
                    ? "The request has no Host header; send the name of this server"
                    : "Host '" + ControlCharacters.escaped(host) + "' is not a name of this server: use localhost, "
                            + "a loopback address, or a name listed in " + Reachability.ALLOWED_HOSTS, "Host"));
        }
    }
}
