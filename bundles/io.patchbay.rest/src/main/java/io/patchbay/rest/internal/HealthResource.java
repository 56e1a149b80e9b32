package io.patchbay.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.DeviceInventory;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.SourceDTO;

/** Whether the server is up; present once the core's services are, and 200 once the store is there too. */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final Sources sources;
    private final String version;
    private final Instant started;
    // dynamic, so that a test's higher-ranked clock is taken without restarting this
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Activate
    public HealthResource(@Reference Sources sources,
            // reluctant: a test's clock arriving later must not restart the resource
            @Reference(name = "startClock") Clock startClock,
            BundleContext context) {
        this.sources = sources;
        this.version = context.getBundle().getVersion().toString();
        this.started = startClock.instant();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceInventory store;

    /** 200 when the server can do its work; 503 while the store is not there (starting, or refused its database). */
    @GET
    public Response health() {
        Map<String, Object> h = new LinkedHashMap<>();
        boolean up = store != null;
        h.put("status", up ? "UP" : "DOWN");
        if (!up) {
            h.put("problem", "the store is not available; the server log says why");
        }
        if (Callers.current() == null) {
            // readiness only: what runs, and which version, is for callers with credentials
            return Response.status(up ? 200 : 503).type(MediaType.APPLICATION_JSON).entity(h).build();
        }
        h.put("version", version);
        h.put("startedAt", started.toString());
        h.put("uptimeSeconds", Math.max(0, Duration.between(started, clock.instant()).toSeconds()));
        List<SourceDTO> present = sources.sources();
        h.put("sources", present.size());
        // counted by the registry, without copying every job a health check
        h.put("runningJobs", present.stream().mapToInt(s -> s.runningJobs).sum());
        return Response.status(up ? 200 : 503).type(MediaType.APPLICATION_JSON).entity(h).build();
    }
}
