package io.patchbay.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
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

import io.patchbay.api.AuditLog;
import io.patchbay.api.plugin.PluginDTO;
import io.patchbay.api.plugin.Plugins;

/** Adds a new plugin (an update source or app catalog bundle), for admins; replacing one is PUT /sources/{id}/bundle. */
@Component(service = PluginsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
@JaxrsExtensionSelect(PatchbayApplication.REQUIRE_JSON)
@Path("plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginsResource {
    private final Plugins plugins;
    private final BundleContext context;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Requester requester;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public PluginsResource(@Reference Plugins plugins, BundleContext context) {
        this.plugins = plugins;
        this.context = context;
    }

    /**
     * Checks the jar (a bundle providing an update source or app catalog, signed by a trusted certificate when some
     * are configured) and adds it to the plugins folder; 201 once the framework installed it, 202 while it is still
     * to be installed.
     */
    @POST
    @Consumes({ "application/java-archive", MediaType.APPLICATION_OCTET_STREAM, "application/zip" })
    public Response add(InputStream jar, @Context HttpHeaders headers) throws InterruptedException {
        String actor = requester.name(headers);
        byte[] bytes;
        try {
            bytes = jar.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a body over the limit stays a 413
        }
        String signer = PluginSignatures.verify(bytes, context.getProperty(PluginSignatures.TRUSTED));
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        PluginDTO added = plugins.add(new ByteArrayInputStream(bytes));
        Audit.record(audit, actor, "add", "plugin", added.bundle, "bundleVersion", added.bundleVersion, "sha256",
                sha256, "signer", signer);
        return Response.status(added.installed ? 201 : 202).entity(added).build();
    }
}
