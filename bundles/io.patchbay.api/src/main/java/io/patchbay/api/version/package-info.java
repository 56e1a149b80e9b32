/**
 * Version ordering, exact to each ecosystem's own tools: {@code deb} as dpkg orders, {@code rpm} as librpm orders,
 * {@code semver}, {@code windows} (dotted numeric), {@code macos}, and {@code winget} as the winget client orders.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.patchbay.api.version;
