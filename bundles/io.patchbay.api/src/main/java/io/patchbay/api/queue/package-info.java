/**
 * The job queue that the store keeps and the core's dispatcher and executors claim from. For platform bundles (the
 * core, the store, run orchestration), not for plugins: sources never see the queue.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.patchbay.api.queue;
