package io.patchbay.rest.internal;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.OPTIONS;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Every path outside {@code /api/v1} that nothing else serves: a 404 in problem+json, so clients meet one error
 * format on the whole server. It lives in the whiteboard's default application, which owns {@code /}.
 */
@Component(service = OutsideApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect("(osgi.jaxrs.name=.default)")
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("{path: .*}")
public class OutsideApiResource {

    private static Response notFound() {
        throw new javax.ws.rs.NotFoundException();
    }

    @GET
    public Response get() {
        return notFound();
    }

    @POST
    public Response post() {
        return notFound();
    }

    @PUT
    public Response put() {
        return notFound();
    }

    @DELETE
    public Response delete() {
        return notFound();
    }

    @HEAD
    public Response head() {
        return notFound();
    }

    @OPTIONS
    public Response options() {
        return notFound();
    }
}
