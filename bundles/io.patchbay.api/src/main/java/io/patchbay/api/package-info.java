/**
 * The services Patchbay offers to its REST API, its scheduler and its plugins: the source registry, the job engine,
 * the device directory and the block list.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.patchbay.api;
