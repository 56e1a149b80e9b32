package io.patchbay.rest.internal;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.BlockList;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.PageDTO;

/** The rules that keep updates from being installed. */
@Component(service = BlockListResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("blocklist")
@Produces(MediaType.APPLICATION_JSON)
public class BlockListResource {
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;

    @GET
    public PageDTO<BlockRuleDTO> list(@QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.of(blockList.rules(), cursor, Pages.limit(limit));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(BlockRuleDTO rule, @Context UriInfo uri) {
        BlockRuleDTO added = blockList.add(rule);
        return Response.created(uri.getAbsolutePathBuilder().path(added.id).build()).entity(added).build();
    }

    @GET
    @Path("{id}")
    public BlockRuleDTO get(@PathParam("id") String id) {
        return blockList.rules().stream().filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("block rule", id));
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id) {
        if (!blockList.remove(id)) {
            throw new NotFoundException("block rule", id);
        }
        return Response.noContent().build();
    }
}
