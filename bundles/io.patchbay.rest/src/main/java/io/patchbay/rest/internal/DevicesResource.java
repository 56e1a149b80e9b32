package io.patchbay.rest.internal;

import javax.ws.rs.DELETE;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.agent.Enrollment;
import io.patchbay.api.dto.DeviceDTO;

/** Managed devices: registered by hand, enrolled by their agents, and the server's own machine. */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource extends EntityResource<DeviceDTO> {
    private final DeviceInventory inventory;
    private final Requester requester;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Enrollment enrollment;

    @Activate
    public DevicesResource(@Reference DeviceInventory inventory,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        super(inventory, requester, "device", d -> d.id, d -> d.version);
        this.inventory = inventory;
        this.requester = requester;
    }

    /** Clears the flag an identity conflict set, once an operator resolved it; the device as it is now. */
    @DELETE
    @Path("{id}/identity-conflict")
    @Operation(summary = "Clear a device's identity-conflict flag once the clone was given an identity of its own",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the device, without the flag",
                            content = @Content(schema = @Schema(implementation = DeviceDTO.class))),
                    @ApiResponse(responseCode = "404", description = "no such device") })
    public DeviceDTO clearIdentityConflict(@PathParam("id") String id, @Context HttpHeaders headers) {
        Enrollment e = enrollment;
        if (e == null) {
            throw new StoreUnavailable();
        }
        e.clearIdentityConflict(id, requester.name(headers));
        return inventory.get(id).orElseThrow(() -> new NotFoundException("device", id));
    }
}
