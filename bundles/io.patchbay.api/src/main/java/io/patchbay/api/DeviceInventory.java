package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/**
 * The devices Patchbay manages: those kept in the store (registered by hand or by enrollment), which can be edited,
 * and those known only elsewhere (the server's own machine), which are listed on the first page and can be read.
 */
@ProviderType
public interface DeviceInventory extends EntityStore<DeviceDTO> {
}
