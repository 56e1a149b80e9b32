package io.patchbay.rest.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import java.util.List;

import java.io.InputStream;
import java.time.Duration;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

import io.patchbay.api.NotFoundException;
import io.patchbay.api.AuditLog;
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
    static final String JAR_TYPES = "application/java-archive (or application/octet-stream or application/zip)";
    private final Sources sources;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    private final org.osgi.framework.BundleContext context;

    @Activate
    public SourcesResource(@Reference Sources sources, org.osgi.framework.BundleContext context) {
        this.sources = sources;
        this.context = context;
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

    /**
     * Drains a source before a replacement: new jobs wait; answers when its running jobs have ended or the wait is
     * over. The wait is a maximum: while many requests wait already, the source is answered as it is now.
     */
    @POST
    @Path("{id}/drain")
    public SourceDTO drain(@PathParam("id") String id, @Context HttpHeaders headers,
            @QueryParam("waitSeconds")
            @Parameter(schema = @Schema(type = "integer", minimum = "0", maximum = "3600",
                    defaultValue = "60")) String wait)
            throws InterruptedException {
        Duration most = Duration.ofSeconds(Params.number("waitSeconds", wait, 60, 0, 3600));
        String actor = requester.name(headers);
        SourceDTO drained = LongPolls.waitOrNow(() -> sources.drain(id, most), () -> sources.drain(id, Duration.ZERO));
        Audit.record(audit, actor, "drain", "source", id, "state", drained.state);
        return drained;
    }

    @DELETE
    @Path("{id}/drain")
    public SourceDTO resume(@PathParam("id") String id, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        SourceDTO resumed = sources.resume(id);
        Audit.record(audit, actor, "resume", "source", id, "state", resumed.state);
        return resumed;
    }

    /**
     * Replaces the bundle of a source with the jar in the body, after draining it; no job is interrupted. A jar that
     * is not a bundle providing an update source or app catalog under the name of the source's bundle gets 400 before
     * anything is drained or installed.
     */
    @PUT
    @Path("{id}/bundle")
    @Consumes({ "application/java-archive", MediaType.APPLICATION_OCTET_STREAM, "application/zip" })
    public SourceDTO replace(@PathParam("id") String id, InputStream jar, @Context HttpHeaders headers,
            @QueryParam("waitSeconds")
            @Parameter(schema = @Schema(type = "integer", minimum = "0", maximum = "3600",
                    defaultValue = "300")) String wait) throws InterruptedException {
        Duration most = Duration.ofSeconds(Params.number("waitSeconds", wait, 300, 0, 3600));
        String actor = requester.name(headers);
        byte[] bytes;
        try {
            bytes = jar.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a body over the limit stays a 413
        }
        // checked before the source is drained: a jar that is not trusted changes nothing
        String signer = PluginSignatures.verify(bytes, context.getProperty(PluginSignatures.TRUSTED));
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        SourceDTO replaced = sources.replace(id, new java.io.ByteArrayInputStream(bytes), most);
        Audit.record(audit, actor, "replace", "source", id, "bundle", replaced.bundle, "bundleVersion",
                replaced.bundleVersion, "sha256", sha256, "signer", signer);
        return replaced;
    }
}
