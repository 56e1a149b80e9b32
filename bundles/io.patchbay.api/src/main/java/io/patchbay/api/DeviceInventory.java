package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/**
 * The devices Patchbay manages, kept in the store: registered by hand or by enrollment, and those another provider
 * knows (the server's own machine), stored when first seen. All can be edited; what a provider knows of its machine
 * (host name, OS, architecture) stays the provider's.
 */
@ProviderType
public interface DeviceInventory extends EntityStore<DeviceDTO> {
}
