package io.patchbay.rest.internal;

import java.util.List;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

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
import io.patchbay.api.security.CredentialDTO;
import io.patchbay.api.security.Credentials;
import io.patchbay.api.security.IssuedCredentialDTO;

/**
 * A device's secret, with which its agent reaches its own {@code /agent/devices/{id}/} endpoints and nothing else:
 * issued by an admin (shown once; issuing again rotates it), listed without secrets, revoked.
 */
@Component(service = DeviceCredentialsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("devices/{id}/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceCredentialsResource {
    private final Credentials credentials;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public DeviceCredentialsResource(@Reference Credentials credentials) {
        this.credentials = credentials;
    }

    @GET
    public List<CredentialDTO> list(@PathParam("id") String deviceId) {
        return credentials.deviceSecrets(deviceId);
    }

    /** Issues a new secret for the device and revokes the ones it had; the answer is the only place it is shown. */
    @POST
    public Response issue(@PathParam("id") String deviceId, @Context HttpHeaders headers, @Context UriInfo uri) {
        String actor = requester.name(headers);
        IssuedCredentialDTO issued = credentials.issueDeviceSecret(deviceId, actor);
        Audit.record(audit, actor, "issue", "device-secret", deviceId, "credential", issued.id);
        return Response.created(uri.getAbsolutePath()).entity(issued).build();
    }

    @DELETE
    public List<CredentialDTO> revoke(@PathParam("id") String deviceId, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        int revoked = credentials.revokeDeviceSecrets(deviceId, actor);
        Audit.record(audit, actor, "revoke", "device-secret", deviceId, "revoked", revoked);
        return credentials.deviceSecrets(deviceId);
    }
}
