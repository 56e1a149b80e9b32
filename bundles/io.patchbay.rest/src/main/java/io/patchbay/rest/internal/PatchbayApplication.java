package io.patchbay.rest.internal;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The one JAX-RS application of Patchbay; every resource and extension selects it by name. Disabled until the
 * {@link ListenGuard} has checked the listen address.
 */
@Component(service = Application.class, enabled = false)
@JaxrsApplicationBase("api/v1")
@JaxrsName(PatchbayApplication.NAME)
public class PatchbayApplication extends Application {
    public static final String NAME = "patchbay";
    /** Application select filter for resources and extensions. */
    public static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";
    /**
     * Application select filter for the error mapping and JSON: this application and the whiteboard's default one at
     * {@code /}, so every path of the server answers errors in the same format.
     */
    public static final String SELECT_WITH_DEFAULT = "(|(osgi.jaxrs.name=" + NAME + ")(osgi.jaxrs.name=.default))";
    /** Extension select filter: resources wait for the JSON provider. */
    public static final String REQUIRE_JSON = "(patchbay.json=true)";
}
