package io.patchbay.api.source;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/** The device a job works on, and the way to reach it. */
@ProviderType
public interface Target {
    DeviceDTO device();

    Host host();
}
