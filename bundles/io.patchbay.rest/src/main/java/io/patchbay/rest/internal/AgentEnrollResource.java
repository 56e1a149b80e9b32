package io.patchbay.rest.internal;

import java.time.Clock;
import java.time.Duration;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.agent.EnrollRequestDTO;
import io.patchbay.api.agent.Enrollment;
import io.patchbay.api.agent.EnrollmentDTO;
import io.patchbay.api.agent.EnrollmentRefusedException;

/**
 * An agent's enrollment: no credential but the enrollment token in the body. Refused tokens are counted per address
 * (apart from API credentials): after a few, that address waits, doubling each time, and is answered 429 with
 * {@code Retry-After} before its token is even looked at.
 */
@Component(service = AgentEnrollResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("agent/enroll")
@Produces(MediaType.APPLICATION_JSON)
public class AgentEnrollResource {
    private final Enrollment enrollment;
    private final BundleContext context;
    private final FailedLogins failures = new FailedLogins(10_000);

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Activate
    public AgentEnrollResource(@Reference Enrollment enrollment, BundleContext context) {
        this.enrollment = enrollment;
        this.context = context;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(summary = "Enroll a machine with an enrollment token: the answer is its device id and secret",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the device this machine is, and its secret",
                            content = @Content(schema = @Schema(implementation = EnrollmentDTO.class))),
                    @ApiResponse(responseCode = "400", description = "an identity field is missing or refused; the "
                            + "problem names it"),
                    @ApiResponse(responseCode = "401", description = "the token is wrong, expired, revoked or used up"),
                    @ApiResponse(responseCode = "429", description = "too many refused tokens from this address; "
                            + "Retry-After says when to try again") })
    public Response enroll(EnrollRequestDTO request, @Context HttpServletRequest http) {
        String address = ApiAuthentication.clientAddress(http, context);
        Duration wait = failures.wait(address, clock);
        if (!wait.isZero()) {
            long seconds = Math.max(1, wait.toSeconds() + 1);
            return Response.fromResponse(ProblemMapper.problem(429, "Too Many Requests", "Too many enrollments from "
                    + address + " had tokens that are not valid; try again in " + seconds + " seconds", "token"))
                    .header("Retry-After", Long.toString(seconds)).build();
        }
        try {
            EnrollmentDTO enrolled = enrollment.enroll(request, address);
            failures.succeeded(address);
            return Response.ok(enrolled).build();
        } catch (EnrollmentRefusedException e) {
            failures.failed(address, clock);
            throw e;
        }
    }
}
