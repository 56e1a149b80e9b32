package io.patchbay.rest.internal;

import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.dto.DeviceDTO;

/** Managed devices: registered by hand for now, and the server's own machine. */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource extends EntityResource<DeviceDTO> {

    @Activate
    public DevicesResource(@Reference DeviceInventory inventory,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        super(inventory, requester, "device", d -> d.id, d -> d.version);
    }
}
