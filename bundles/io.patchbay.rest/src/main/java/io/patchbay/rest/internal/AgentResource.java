package io.patchbay.rest.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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

import io.patchbay.api.AgentJobs;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.agent.JobReleaseDTO;
import io.patchbay.api.dto.JobClaimDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobProgressDTO;
import io.patchbay.api.dto.JobReportDTO;

/**
 * The job operations of a device's agent: claim the next due job, report progress (which renews the claim's lease),
 * report the outcome. The job engine decides what is due and records the outcome; this checks the input's shape.
 */
@Component(service = AgentResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("agent/devices/{deviceId}/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
    static final int MAX_WAIT_SECONDS = 60;
    /**
     * Agents that may wait for a job on this node at once; each holds one of Jetty's threads. Beyond it a claim
     * answers at once, and the agent asks again after its pause.
     */
    static final int MAX_WAITING_AGENTS = 64;
    private static final Semaphore WAITING_AGENTS = new Semaphore(MAX_WAITING_AGENTS);

    // optional: the queue is in the store, and while it is missing the agent gets 503 with Retry-After, not 404
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AgentJobs agentJobs;

    private AgentJobs agentJobs() {
        AgentJobs jobs = this.agentJobs;
        if (jobs == null) {
            throw new StoreUnavailable();
        }
        return jobs;
    }

    /**
     * Claims the device's oldest due job of the sources the agent runs. With {@code waitSeconds}, waits up to that long
     * for one to become due (a maximum: while {@value #MAX_WAITING_AGENTS} agents wait on this node already, the
     * answer comes at once). A job queued on this node ends the wait at once; one queued on another within a second.
     */
    @POST
    @Path("claim")
    @Operation(summary = "Claim the device's next due job, waiting for one up to waitSeconds", responses = {
            @ApiResponse(responseCode = "200", description = "the claimed job",
                    content = @Content(schema = @Schema(implementation = JobClaimDTO.class))),
            @ApiResponse(responseCode = "204", description = "no job is due for the device"),
            @ApiResponse(responseCode = "404", description = "no such device") })
    public Response claim(@PathParam("deviceId") String deviceId,
            @QueryParam("waitSeconds")
            @Parameter(description = "at most this long; under load the answer may come sooner",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "60",
                    defaultValue = "0")) String wait,
            @QueryParam("source")
            @Parameter(description = "a source the agent runs (repeatable); jobs of other sources are left") List<String> sources)
            throws InterruptedException {
        int waitSeconds = Params.number("waitSeconds", wait, 0, 0, MAX_WAIT_SECONDS);
        AgentReports.id("deviceId", deviceId);
        Set<String> sourceIds = null;
        if (sources != null && !sources.isEmpty()) {
            if (sources.size() > 100) {
                throw new InvalidInputException("source", sources.size(), "at most 100 sources");
            }
            for (String source : sources) {
                AgentReports.id("source", source);
            }
            sourceIds = Set.copyOf(sources);
        }
        Set<String> only = sourceIds;
        Optional<JobClaimDTO> claim;
        if (waitSeconds == 0 || !WAITING_AGENTS.tryAcquire()) {
            claim = agentJobs().claim(deviceId, only);
        } else {
            try {
                claim = agentJobs().claim(deviceId, only, Duration.ofSeconds(waitSeconds));
            } finally {
                WAITING_AGENTS.release();
            }
        }
        return claim.map(c -> Response.ok(c).build()).orElseGet(() -> Response.noContent().build());
    }

    /** Gives a claimed job back without an attempt counted: the agent could not start it after all. */
    @POST
    @Path("{jobId}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give a claimed job back without an attempt counted", responses = {
            @ApiResponse(responseCode = "204", description = "the job waits again (or the claim was no longer held)"),
            @ApiResponse(responseCode = "400", description = "a field is refused; the problem names it"),
            @ApiResponse(responseCode = "404", description = "no such device, or no such job of the device") })
    public Response release(@PathParam("deviceId") String deviceId, @PathParam("jobId") String jobId,
            JobReleaseDTO release) {
        AgentReports.id("deviceId", deviceId);
        AgentReports.id("jobId", jobId);
        agentJobs().release(deviceId, jobId, release);
        return Response.noContent().build();
    }

    /** Progress of a claimed job; renews the claim. The answer's {@code stopRequested} asks the agent to stop. */
    @POST
    @Path("{jobId}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report progress of a claimed job and renew its lease", responses = {
            @ApiResponse(responseCode = "200", description = "the claim, renewed",
                    content = @Content(schema = @Schema(implementation = JobClaimDTO.class))),
            @ApiResponse(responseCode = "404", description = "no such device, or no such job of the device"),
            @ApiResponse(responseCode = "409", description = "the claim is no longer held") })
    public JobClaimDTO progress(@PathParam("deviceId") String deviceId, @PathParam("jobId") String jobId,
            JobProgressDTO progress) {
        AgentReports.id("deviceId", deviceId);
        AgentReports.id("jobId", jobId);
        AgentReports.check(progress);
        return agentJobs().progress(deviceId, jobId, progress);
    }

    /** The outcome of a claimed job, recorded once: the same report sent again returns the job as first recorded. */
    @POST
    @Path("{jobId}/report")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the outcome of a claimed job", responses = {
            @ApiResponse(responseCode = "200", description = "the job as recorded",
                    content = @Content(schema = @Schema(implementation = JobDTO.class))),
            @ApiResponse(responseCode = "404", description = "no such device, or no such job of the device"),
            @ApiResponse(responseCode = "409", description = "the claim is no longer held") })
    public JobDTO report(@PathParam("deviceId") String deviceId, @PathParam("jobId") String jobId,
            JobReportDTO report) {
        AgentReports.id("deviceId", deviceId);
        AgentReports.id("jobId", jobId);
        AgentReports.check(report);
        return agentJobs().report(deviceId, jobId, report);
    }
}
