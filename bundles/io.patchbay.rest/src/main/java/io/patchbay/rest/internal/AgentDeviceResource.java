package io.patchbay.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.NotFoundException;
import io.patchbay.api.agent.CheckInDTO;
import io.patchbay.api.agent.CheckInReplyDTO;
import io.patchbay.api.agent.CheckIns;
import io.patchbay.api.agent.SourceBundles;

/**
 * A device's agent checking in (with its device secret: the access rule lets only that device's secret in), and
 * downloading the source bundles the check-in reply lists.
 */
@Component(service = AgentDeviceResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("agent/devices/{deviceId}")
@Produces(MediaType.APPLICATION_JSON)
public class AgentDeviceResource {
    static final String BUNDLE_TYPE = "application/vnd.osgi.bundle";

    // optional: while the store is missing the agent gets 503 with Retry-After, not 404
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CheckIns checkIns;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SourceBundles bundles;

    @POST
    @Path("check-in")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check in: report inventory, agent version and boot time; learn the interval, the jobs due, "
            + "the source bundles to run and the block list", responses = {
                    @ApiResponse(responseCode = "200", description = "what the agent should do",
                            content = @Content(schema = @Schema(implementation = CheckInReplyDTO.class))),
                    @ApiResponse(responseCode = "400", description = "a field is refused; the problem names it"),
                    @ApiResponse(responseCode = "404", description = "no such device"),
                    @ApiResponse(responseCode = "409", description = "another machine checks in as this device (a "
                            + "copy of its disk); the device is flagged") })
    public CheckInReplyDTO checkIn(@PathParam("deviceId") String deviceId, CheckInDTO checkIn) {
        AgentReports.id("deviceId", deviceId);
        CheckIns c = checkIns;
        if (c == null) {
            throw new StoreUnavailable();
        }
        return c.checkIn(deviceId, checkIn);
    }

    @GET
    @Path("bundles/{symbolicName}/{version}")
    @Produces({ BUNDLE_TYPE, MediaType.APPLICATION_JSON })
    @Operation(summary = "Download a source bundle the check-in reply lists: exactly the bytes of its SHA-256",
            responses = {
                    @ApiResponse(responseCode = "200", description = "the bundle's jar",
                            content = @Content(mediaType = BUNDLE_TYPE)),
                    @ApiResponse(responseCode = "404", description = "the server offers no such bundle") })
    public Response bundle(@PathParam("deviceId") String deviceId, @PathParam("symbolicName") String symbolicName,
            @PathParam("version") String version) throws IOException {
        AgentReports.id("deviceId", deviceId);
        AgentReports.id("symbolicName", symbolicName);
        AgentReports.id("version", version);
        SourceBundles b = bundles;
        Optional<InputStream> jar = b == null ? Optional.empty() : b.open(symbolicName, version);
        if (jar.isEmpty()) {
            throw new NotFoundException("source bundle", symbolicName + " " + version);
        }
        StreamingOutput body = out -> {
            try (InputStream in = jar.get()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, BUNDLE_TYPE).header("Content-Disposition", "attachment; filename=\""
                + symbolicName + "-" + version + ".jar\"").build();
    }
}
