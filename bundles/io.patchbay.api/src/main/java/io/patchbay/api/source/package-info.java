/**
 * The SPI that update-source plugins implement: {@link io.patchbay.api.source.UpdateSource}, and what the core hands
 * them to work with (the {@link io.patchbay.api.source.Target} device, its {@link io.patchbay.api.source.Host}, the
 * {@link io.patchbay.api.source.JobContext}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.patchbay.api.source;
