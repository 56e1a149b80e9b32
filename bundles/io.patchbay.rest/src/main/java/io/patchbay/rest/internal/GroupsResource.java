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

import io.patchbay.api.Groups;
import io.patchbay.api.dto.GroupDTO;

/** Groups: listed a page at a time, changed only with the ETag of the version changed. */
@Component(service = GroupsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource extends EntityResource<GroupDTO> {

    @Activate
    public GroupsResource(@Reference Groups store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Requester requester) {
        super(store, requester, "group", o -> o.id, o -> o.version);
    }
}
