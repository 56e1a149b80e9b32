package io.patchbay.rest.internal;

import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.Policies;
import io.patchbay.api.dto.PolicyDTO;

/** Policies: listed a page at a time, changed only with the ETag of the version changed. */
@Component(service = PoliciesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("policies")
@Produces(MediaType.APPLICATION_JSON)
public class PoliciesResource extends EntityResource<PolicyDTO> {

    @Activate
    public PoliciesResource(@Reference Policies store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        super(store, requester, "policy", o -> o.id, o -> o.version);
    }
}
