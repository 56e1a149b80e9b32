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
import javax.ws.rs.core.HttpHeaders;
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

/**
 * The rules that keep updates from being installed. Rules are added and removed, never edited: each is at version 1,
 * its ETag, which a DELETE must send as If-Match like every other edit.
 */
@Component(service = BlockListResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("blocklist")
@Produces(MediaType.APPLICATION_JSON)
public class BlockListResource {
    static final long RULE_VERSION = 1;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @GET
    public PageDTO<BlockRuleDTO> list(@QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.of(blockList.rules(), cursor, Pages.limit(limit));
    }

    /** Adds a rule; its {@code createdBy} is who asks, whatever the body says. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(BlockRuleDTO rule, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (rule != null) {
            rule.createdBy = requester.name(headers);
        }
        BlockRuleDTO added = blockList.add(rule);
        return Response.created(uri.getAbsolutePathBuilder().path(added.id).build())
                .tag(ETags.of(RULE_VERSION)).entity(added).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return Response.ok(rule(id)).tag(ETags.of(RULE_VERSION)).build();
    }

    private BlockRuleDTO rule(String id) {
        return blockList.rules().stream().filter(r -> r.id.equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("block rule", id));
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id, @Context HttpHeaders headers) {
        ETags.IfMatch ifMatch = ETags.ifMatch(headers);
        rule(id);
        if (!ifMatch.accepts(RULE_VERSION)) {
            throw ifMatch.refusal("block rule", id, RULE_VERSION);
        }
        if (!blockList.remove(id, requester.name(headers))) {
            throw new NotFoundException("block rule", id);
        }
        return Response.noContent().build();
    }
}
