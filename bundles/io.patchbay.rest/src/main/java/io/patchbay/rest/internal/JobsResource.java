package io.patchbay.rest.internal;

import java.time.Clock;
import java.time.Duration;

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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.AuditLog;
import io.patchbay.api.InUseException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Jobs;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.Runs;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;

/** Scans, installs and rollbacks on one device with one source. */
@Component(service = JobsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    static final int MAX_WAIT_SECONDS = 60;
    private final Jobs jobs;

    /** The runs a job may join; absent while the store is. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Runs history;

    private final Requester requester;
    // dynamic, so that a test's higher-ranked clock is taken without restarting this
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public JobsResource(@Reference Jobs jobs,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        this.jobs = jobs;
        this.requester = requester;
    }

    /** Jobs, newest first, optionally only those of one device, source or state. */
    @GET
    public PageDTO<JobDTO> list(@QueryParam("deviceId") String deviceId, @QueryParam("sourceId") String sourceId,
            @QueryParam("state") String state, @QueryParam("cursor") String cursor,
            @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        int size = Pages.limit(limit);
        JobState wanted = state == null ? null : parseState(state);
        return Pages.of(jobs.list().stream().filter(j -> deviceId == null || deviceId.equals(j.deviceId))
                .filter(j -> sourceId == null || sourceId.equals(j.sourceId))
                .filter(j -> wanted == null || wanted == j.state).toList(), cursor, size);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JobRequestDTO request, @Context HttpHeaders headers, @Context UriInfo uri) {
        Runs history = this.history;
        if (history == null) {
            throw new StoreUnavailable();
        }
        if (request != null) {
            request.requestedBy = requester.name(headers);
        }
        JobRequests.check(request, clock.instant());
        if (request.runId != null) {
            RunDTO run = history.get(request.runId)
                    .orElseThrow(() -> new InvalidInputException("runId", request.runId, "no such run"));
            if (!"RUNNING".equals(run.state)) {
                throw new InUseException("run '" + run.name + "' (" + run.id + ") has ended " + run.state
                        + "; a job can join only a run that is still running");
            }
        }
        JobDTO job = jobs.submit(request);
        Audit.record(audit, request.requestedBy, "submit", "job", job.id, "kind", job.kind, "deviceId", job.deviceId,
                "sourceId", job.sourceId, "runId", job.runId);
        return Response.created(uri.getAbsolutePathBuilder().path(job.id).build()).entity(job).build();
    }

    /**
     * One job; with {@code waitSeconds}, answers when the job has ended or the wait is over. The wait is a maximum:
     * while many requests wait already, the job is answered as it is now.
     */
    @GET
    @Path("{id}")
    public JobDTO get(@PathParam("id") String id,
            @QueryParam("waitSeconds")
            @Parameter(description = "at most this long; under load the answer may come sooner",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "60",
                    defaultValue = "0")) String wait)
            throws InterruptedException {
        int waitSeconds = Params.number("waitSeconds", wait, 0, 0, MAX_WAIT_SECONDS);
        return (waitSeconds == 0 ? jobs.get(id)
                : LongPolls.waitOrNow(() -> jobs.await(id, Duration.ofSeconds(waitSeconds)), () -> jobs.get(id)))
                .orElseThrow(() -> new NotFoundException("job", id));
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        JobDTO job = jobs.get(id).orElseThrow(() -> new NotFoundException("job", id));
        if (!jobs.cancel(id, "cancelled through the API by " + actor)) {
            return ProblemMapper.problem(409, "Conflict", "Job " + id + " has already ended " + job.state, null);
        }
        Audit.record(audit, actor, "cancel", "job", id, "state", job.state);
        return Response.accepted(jobs.get(id).orElse(job)).build();
    }

    private static JobState parseState(String state) {
        try {
            return JobState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("state", Params.shown(state), "must be one of " + java.util.Arrays.toString(
                    JobState.values()));
        }
    }
}
