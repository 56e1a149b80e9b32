/**
 * Live events: what changed in jobs, runs, devices, sources, the block list and the audit log, kept by the store for a
 * retention period and numbered so that a client resumes after a reconnect with nothing missed.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.patchbay.api.events;
