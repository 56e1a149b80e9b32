package io.patchbay.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.AuditLog;
import io.patchbay.api.dto.AuditEntryDTO;
import io.patchbay.api.dto.PageDTO;

/** Who changed what and when, newest first. */
@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditLog audit;

    @Activate
    public AuditResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public PageDTO<AuditEntryDTO> list(@QueryParam("entity") String entity, @QueryParam("entityId") String entityId,
            @QueryParam("cursor") String cursor, @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.byKey(audit.page(entity, entityId, cursor, Pages.limit(limit)), e -> Long.toString(e.id));
    }
}
