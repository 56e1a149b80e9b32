package io.patchbay.rest.internal;

import java.util.ArrayList;

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
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.Devices;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.PageDTO;

/** Managed devices: registered by hand for now, and the server's own machine. */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource {
    private final DeviceInventory inventory;

    // the highest-ranked device directory: the store's, which also answers for devices known elsewhere
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;

    @Activate
    public DevicesResource(@Reference DeviceInventory inventory) {
        this.inventory = inventory;
    }

    /** Stored devices a page at a time; the first page also has the devices the server knows without the store. */
    @GET
    public PageDTO<DeviceDTO> list(@QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        PageDTO<DeviceDTO> page = inventory.page(cursor, limit);
        if (cursor == null || cursor.isBlank()) {
            // devices known without the store (the server's own machine) have no stored version
            var items = new ArrayList<DeviceDTO>();
            devices.list().stream().filter(d -> d.version == 0).forEach(items::add);
            items.addAll(page.items);
            page.items = items;
        }
        return page;
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        DeviceDTO d = devices.get(id).orElseThrow(() -> new NotFoundException("device", id));
        return Response.ok(d).tag(Versions.tag(d.version)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(DeviceDTO device, @Context HttpHeaders headers, @Context UriInfo uri) {
        DeviceDTO d = inventory.create(device, Versions.actor(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(d.id).build()).tag(Versions.tag(d.version))
                .entity(d).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String id, DeviceDTO device, @Context HttpHeaders headers) {
        DeviceDTO d = inventory.update(id, device, Versions.expected(headers), Versions.actor(headers));
        return Response.ok(d).tag(Versions.tag(d.version)).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        inventory.delete(id, Versions.expected(headers), Versions.actor(headers));
        return Response.noContent().build();
    }
}
