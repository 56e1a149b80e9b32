package io.patchbay.rest.internal;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.OPTIONS;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * What every API path answers when the {@link ListenGuard} refused to serve the API: 503 with the reason, so a
 * client sees why instead of a bare 404. Enabled only by the guard.
 */
@Component(service = RefusedApiResource.class, enabled = false)
@JaxrsResource
@JaxrsApplicationSelect("(osgi.jaxrs.name=.default)")
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("api/v1{path: .*}")
public class RefusedApiResource {
    private final String reason;

    @Activate
    public RefusedApiResource(BundleContext context) {
        this.reason = Reachability.of(context::getProperty).refusal().orElse("The API is not served");
    }

    private Response refused() {
        return ProblemMapper.problem(503, "Service Unavailable", reason, null);
    }

    @GET
    public Response get() {
        return refused();
    }

    @POST
    public Response post() {
        return refused();
    }

    @PUT
    public Response put() {
        return refused();
    }

    @DELETE
    public Response delete() {
        return refused();
    }

    @HEAD
    public Response head() {
        return refused();
    }

    @OPTIONS
    public Response options() {
        return refused();
    }
}
