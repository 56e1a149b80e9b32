package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/** The devices Patchbay manages. */
@ProviderType
public interface Devices {
    List<DeviceDTO> list();

    Optional<DeviceDTO> get(String id);
}
