package io.patchbay.api.source;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for an {@link UpdateSource} component: sets {@code patchbay.source.type} and
 * {@code patchbay.source.platforms}. A factory-configured source sets {@code patchbay.source.id} in its
 * configuration; a singleton source may leave it out and is known by its type.
 *
 * <pre>
 * &#64;Component(service = UpdateSource.class)
 * &#64;UpdateSourceProperties(type = "apt", platforms = SourceConstants.PLATFORM_LINUX)
 * &#64;ProvideUpdateSource("apt")
 * public class AptSource implements UpdateSource { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface UpdateSourceProperties {
    String PREFIX_ = "patchbay.source.";

    /** The source type. */
    String type();

    /** The platforms this source serves. */
    String[] platforms();
}
