package io.patchbay.rest.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Runs;
import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.UpdateResultRowDTO;
import io.patchbay.api.dto.UpdateSummaryDTO;

/** Updates known from scans across devices, the devices missing each, and what jobs did with them. */
@Component(service = UpdatesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class UpdatesResource {
    private final UpdateIndex index;
    private final Runs runs;
    private final Requester requester;

    @Activate
    public UpdatesResource(@Reference UpdateIndex index, @Reference Runs runs,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        this.index = index;
        this.runs = runs;
        this.requester = requester;
    }

    @GET
    @Path("updates")
    public PageDTO<UpdateSummaryDTO> updates(@QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit, @Context UriInfo uri) {
        PageDTO<UpdateSummaryDTO> page = Pages.byPosition(index.updates(cursor, Pages.limit(limit)), cursor);
        page.items.forEach(u -> u.devices = uri.getBaseUri().getPath().replaceAll("/$", "")
                + "/updates/devices?sourceId=" + enc(u.sourceId) + "&updateId=" + enc(u.updateId));
        return page;
    }

    @GET
    @Path("updates/devices")
    public List<String> devices(@QueryParam("sourceId") String sourceId, @QueryParam("updateId") String updateId) {
        required("sourceId", sourceId);
        required("updateId", updateId);
        return index.impactedDevices(sourceId, updateId);
    }

    /** Installs one update on every device that misses it, as a run. */
    @POST
    @Path("updates/install")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response install(RunDTO run, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (run != null && run.policyId != null) {
            throw new InvalidInputException("policyId", run.policyId, "start a policy run at /runs");
        }
        if (run != null && (run.name == null || run.name.isBlank())) {
            run.name = "Install " + run.updateId;
        }
        RunDTO started = runs.start(run, requester.name(headers));
        return Response.created(uri.getBaseUriBuilder().path("runs").path(started.id).build()).entity(started)
                .build();
    }

    @GET
    @Path("results")
    public PageDTO<UpdateResultRowDTO> results(@QueryParam("runName") String runName,
            @QueryParam("update") String update, @QueryParam("deviceId") String deviceId,
            @QueryParam("title") String title, @QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.byPosition(index.results(runName, update, deviceId, title, cursor, Pages.limit(limit)), cursor);
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, value, "is required");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
