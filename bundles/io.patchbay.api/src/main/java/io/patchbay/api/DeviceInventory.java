package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/** The devices kept in the store, registered by hand or by enrollment. */
@ProviderType
public interface DeviceInventory extends EntityStore<DeviceDTO> {
}
