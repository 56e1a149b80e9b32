package io.patchbay.rest.internal;

import java.time.Instant;
import java.util.List;

import javax.ws.rs.Consumes;
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
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.security.CredentialDTO;
import io.patchbay.api.security.Credentials;
import io.patchbay.api.security.IssuedCredentialDTO;
import io.patchbay.api.security.Role;

/** API tokens, for admins: issued (the secret shown once), listed without secrets, revoked. */
@Component(service = TokensResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {
    /** The roles a token may have; DEVICE belongs to device secrets, issued per device. */
    static final List<String> ROLES = List.of(Role.ADMIN.name(), Role.OPERATOR.name(), Role.READ_ONLY.name());

    /** What a client asks for when it creates a token. */
    public static class TokenRequest {
        public String name;
        public Role role;
        /** When the token stops working; none for never. */
        public Instant expiresAt;
    }

    private final Credentials credentials;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public TokensResource(@Reference Credentials credentials) {
        this.credentials = credentials;
    }

    @GET
    public List<CredentialDTO> list() {
        return credentials.tokens();
    }

    @GET
    @Path("{id}")
    public CredentialDTO get(@PathParam("id") String id) {
        return credentials.tokens().stream().filter(t -> t.id.equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("token", id));
    }

    /** Issues a token; the answer is the only place its secret is ever shown. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(TokenRequest request, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (request == null) {
            throw new InvalidInputException("body", null, "is required: {\"name\":...,\"role\":...}");
        }
        String actor = requester.name(headers);
        IssuedCredentialDTO issued = credentials.issueToken(request.name, request.role, request.expiresAt, actor);
        Audit.record(audit, actor, "issue", "token", issued.id, "name", issued.name, "role", issued.role,
                "expiresAt", issued.expiresAt == null ? null : issued.expiresAt.toString());
        return Response.created(uri.getAbsolutePathBuilder().path(issued.id).build()).entity(issued).build();
    }

    @DELETE
    @Path("{id}")
    public CredentialDTO revoke(@PathParam("id") String id, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        CredentialDTO revoked = credentials.revokeToken(id, actor);
        Audit.record(audit, actor, "revoke", "token", id, "name", revoked.name);
        return revoked;
    }
}
