package io.patchbay.rest.internal;

import java.util.List;

import javax.ws.rs.Consumes;
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

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.NotFoundException;
import io.patchbay.api.Runs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;

/** Runs of a policy or of one update: started by hand here, their jobs and states. */
@Component(service = RunsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {
    private final Runs runs;
    private final Requester requester;

    @Activate
    public RunsResource(@Reference Runs runs,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        this.runs = runs;
        this.requester = requester;
    }

    @GET
    public PageDTO<RunDTO> list(@QueryParam("name") String name, @QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.byPosition(runs.page(name, cursor, Pages.limit(limit)), cursor);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(RunDTO run, @Context HttpHeaders headers, @Context UriInfo uri) {
        RunDTO started = runs.start(run, requester.name(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(started.id).build()).entity(started).build();
    }

    @GET
    @Path("{id}")
    public RunDTO get(@PathParam("id") String id) {
        return runs.get(id).orElseThrow(() -> new NotFoundException("run", id));
    }

    @GET
    @Path("{id}/jobs")
    public List<JobDTO> jobs(@PathParam("id") String id) {
        runs.get(id).orElseThrow(() -> new NotFoundException("run", id));
        return runs.jobs(id);
    }
}
