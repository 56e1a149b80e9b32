/** Adding plugins (update sources, app catalogs) to the running server. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.patchbay.api.plugin;
