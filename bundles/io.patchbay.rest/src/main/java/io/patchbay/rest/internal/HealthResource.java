package io.patchbay.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.JobState;

/** Whether the server is up; present only once the core's services are, so a 200 means ready. */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final Sources sources;
    private final Jobs jobs;
    private final String version;
    private final Instant started = Instant.now();

    @Activate
    public HealthResource(@Reference Sources sources, @Reference Jobs jobs, BundleContext context) {
        this.sources = sources;
        this.jobs = jobs;
        this.version = context.getBundle().getVersion().toString();
    }

    @GET
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", "UP");
        h.put("version", version);
        h.put("startedAt", started.toString());
        h.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        h.put("sources", sources.sources().size());
        h.put("runningJobs", jobs.list().stream().filter(j -> j.state == JobState.RUNNING).count());
        return h;
    }
}
