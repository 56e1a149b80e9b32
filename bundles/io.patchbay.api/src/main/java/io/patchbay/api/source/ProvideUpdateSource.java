package io.patchbay.api.source;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares that the annotated bundle provides an update source of the given type, as a capability in the
 * {@value SourceConstants#CAPABILITY_NAMESPACE} namespace, so a runtime can ask for it with
 * {@code -runrequires: bnd.identity;...} or {@code io.patchbay.source;filter:='(io.patchbay.source=apt)'}.
 */
@Capability(namespace = SourceConstants.CAPABILITY_NAMESPACE, version = "1.0.0", uses = UpdateSource.class)
@Retention(RetentionPolicy.CLASS)
@Target({ ElementType.TYPE, ElementType.PACKAGE })
public @interface ProvideUpdateSource {
    /** The source type provided. */
    @Attribute(SourceConstants.CAPABILITY_NAMESPACE)
    String value();
}
