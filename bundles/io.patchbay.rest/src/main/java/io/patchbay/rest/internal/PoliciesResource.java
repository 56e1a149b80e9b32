package io.patchbay.rest.internal;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.Policies;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.PageDTO;

/** Policies of the console: listed a page at a time, changed only with the ETag of the version changed. */
@Component(service = PoliciesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("policies")
@Produces(MediaType.APPLICATION_JSON)
public class PoliciesResource {
    private final Policies store;

    @Activate
    public PoliciesResource(@Reference Policies store) {
        this.store = store;
    }

    @GET
    public PageDTO<PolicyDTO> list(@QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return store.page(cursor, limit);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        PolicyDTO o = store.get(id).orElseThrow(() -> new NotFoundException("policy", id));
        return Response.ok(o).tag(Versions.tag(o.version)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(PolicyDTO body, @Context HttpHeaders headers, @Context UriInfo uri) {
        PolicyDTO o = store.create(body, Versions.actor(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(o.id).build()).tag(Versions.tag(o.version))
                .entity(o).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String id, PolicyDTO body, @Context HttpHeaders headers) {
        PolicyDTO o = store.update(id, body, Versions.expected(headers), Versions.actor(headers));
        return Response.ok(o).tag(Versions.tag(o.version)).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        store.delete(id, Versions.expected(headers), Versions.actor(headers));
        return Response.noContent().build();
    }
}
