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

import io.patchbay.api.Groups;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PageDTO;

/** Groups of the console: listed a page at a time, changed only with the ETag of the version changed. */
@Component(service = GroupsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {
    private final Groups store;

    @Activate
    public GroupsResource(@Reference Groups store) {
        this.store = store;
    }

    @GET
    public PageDTO<GroupDTO> list(@QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return store.page(cursor, limit);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        GroupDTO o = store.get(id).orElseThrow(() -> new NotFoundException("group", id));
        return Response.ok(o).tag(Versions.tag(o.version)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(GroupDTO body, @Context HttpHeaders headers, @Context UriInfo uri) {
        GroupDTO o = store.create(body, Versions.actor(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(o.id).build()).tag(Versions.tag(o.version))
                .entity(o).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String id, GroupDTO body, @Context HttpHeaders headers) {
        GroupDTO o = store.update(id, body, Versions.expected(headers), Versions.actor(headers));
        return Response.ok(o).tag(Versions.tag(o.version)).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        store.delete(id, Versions.expected(headers), Versions.actor(headers));
        return Response.noContent().build();
    }
}
