package io.patchbay.rest.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.NotFoundException;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.SourceDTO;

/** The update sources present in the server, as they come and go. */
@Component(service = SourcesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourcesResource {
    private final Sources sources;

    @Activate
    public SourcesResource(@Reference Sources sources) {
        this.sources = sources;
    }

    @GET
    public List<SourceDTO> list() {
        return sources.sources();
    }

    @GET
    @Path("{id}")
    public SourceDTO get(@PathParam("id") String id) {
        return sources.source(id).orElseThrow(() -> new NotFoundException("source", id));
    }
}
