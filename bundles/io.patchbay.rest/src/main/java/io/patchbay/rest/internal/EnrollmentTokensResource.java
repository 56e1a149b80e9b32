package io.patchbay.rest.internal;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.agent.Enrollment;
import io.patchbay.api.agent.EnrollmentTokenDTO;
import io.patchbay.api.agent.EnrollmentTokenRequestDTO;
import io.patchbay.api.agent.IssuedEnrollmentTokenDTO;

/**
 * Enrollment tokens: admins create them (the secret shown once) and revoke them; operators may list them (without
 * secrets) to see which are used up. The store audits each creation, revocation and enrollment.
 */
@Component(service = EnrollmentTokensResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("enrollment-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class EnrollmentTokensResource {
    private final Enrollment enrollment;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @Activate
    public EnrollmentTokensResource(@Reference Enrollment enrollment) {
        this.enrollment = enrollment;
    }

    @GET
    @Operation(summary = "List enrollment tokens (revoked, expired and used-up ones too), without their secrets",
            responses = @ApiResponse(responseCode = "200", description = "every token, oldest first",
                    content = @Content(array = @ArraySchema(schema = @Schema(
                            implementation = EnrollmentTokenDTO.class)))))
    public List<EnrollmentTokenDTO> list() {
        return enrollment.tokens();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an enrollment token: agents started with its secret join the token's group",
            responses = {
                    @ApiResponse(responseCode = "201", description = "the token, with its secret shown this once",
                            content = @Content(schema = @Schema(implementation = IssuedEnrollmentTokenDTO.class))),
                    @ApiResponse(responseCode = "400", description = "a field is missing or refused; the problem "
                            + "names it"),
                    @ApiResponse(responseCode = "404", description = "no such group") })
    public Response create(EnrollmentTokenRequestDTO request, @Context HttpHeaders headers, @Context UriInfo uri) {
        IssuedEnrollmentTokenDTO issued = enrollment.createToken(request, requester.name(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(issued.id).build()).entity(issued).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an enrollment token: it enrolls nothing from now on; enrolled devices stay",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the revoked token",
                            content = @Content(schema = @Schema(implementation = EnrollmentTokenDTO.class))),
                    @ApiResponse(responseCode = "404", description = "no such token") })
    public EnrollmentTokenDTO revoke(@PathParam("id") String id, @Context HttpHeaders headers) {
        return enrollment.revokeToken(id, requester.name(headers));
    }
}
