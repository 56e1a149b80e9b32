package io.patchbay.rest.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.Devices;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.DeviceDTO;

/** The managed devices. */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource {
    private final Devices devices;

    @Activate
    public DevicesResource(@Reference Devices devices) {
        this.devices = devices;
    }

    @GET
    public List<DeviceDTO> list() {
        return devices.list();
    }

    @GET
    @Path("{id}")
    public DeviceDTO get(@PathParam("id") String id) {
        return devices.get(id).orElseThrow(() -> new NotFoundException("device", id));
    }
}
