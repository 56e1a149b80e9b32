/**
 * The application-catalog SPI: what a vendor implements to offer third-party applications to Patchbay.
 * <p>
 * A catalog plugin is a bundle that registers one or more {@link io.patchbay.api.catalog.AppCatalog} services. Each
 * catalog lists {@link io.patchbay.api.catalog.AppDTO applications}; each application has
 * {@link io.patchbay.api.catalog.ReleaseDTO releases} with {@link io.patchbay.api.catalog.InstallerDTO installers}
 * per platform and architecture, and {@link io.patchbay.api.catalog.DetectionDTO detection rules} that say how to find
 * the installed version on a device. Patchbay does the rest: it detects, compares versions with the application's
 * {@link io.patchbay.api.version.VersionScheme scheme}, downloads each installer once, refuses any whose SHA-256
 * differs from the catalog's, runs it silently and reads its exit code.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.patchbay.api.catalog;
