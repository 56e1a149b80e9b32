package io.patchbay.rest.internal;

import java.time.Duration;
import java.util.Optional;

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
    /** How often a waiting claim asks again: a job may be submitted on another server node, which tells no one. */
    static final Duration CLAIM_POLL = Duration.ofMillis(250);

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
     * Claims the device's oldest due job. With {@code waitSeconds}, waits up to that long for one to become due (a
     * maximum: while many requests wait already, the answer comes at once).
     */
    @POST
    @Path("claim")
    @Operation(summary = "Claim the device's next due job", responses = {
            @ApiResponse(responseCode = "200", description = "the claimed job",
                    content = @Content(schema = @Schema(implementation = JobClaimDTO.class))),
            @ApiResponse(responseCode = "204", description = "no job is due for the device"),
            @ApiResponse(responseCode = "404", description = "no such device") })
    public Response claim(@PathParam("deviceId") String deviceId,
            @QueryParam("waitSeconds")
            @Parameter(description = "at most this long; under load the answer may come sooner",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "60",
                    defaultValue = "0")) String wait)
            throws InterruptedException {
        int waitSeconds = Params.number("waitSeconds", wait, 0, 0, MAX_WAIT_SECONDS);
        AgentReports.id("deviceId", deviceId);
        Optional<JobClaimDTO> claim = waitSeconds == 0 ? agentJobs().claim(deviceId)
                : LongPolls.waitOrNow(() -> claimWithin(deviceId, Duration.ofSeconds(waitSeconds)),
                        () -> agentJobs().claim(deviceId));
        return claim.map(c -> Response.ok(c).build()).orElseGet(() -> Response.noContent().build());
    }

    private Optional<JobClaimDTO> claimWithin(String deviceId, Duration wait) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<JobClaimDTO> claim = agentJobs().claim(deviceId);
            long left = end - System.nanoTime();
            if (claim.isPresent() || left <= 0) {
                return claim;
            }
            Thread.sleep(Math.max(1, Math.min(CLAIM_POLL.toMillis(), left / 1_000_000)));
        }
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
