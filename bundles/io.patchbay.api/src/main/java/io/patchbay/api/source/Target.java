package io.patchbay.api.source;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.DeviceDTO;

/** The device a job works on, the way to reach it, and the settings its group and policy give it. */
@ProviderType
public interface Target {
    DeviceDTO device();

    Host host();

    /** What the device's group and the job's policy set for it; the defaults when neither sets anything. */
    default TargetSettings settings() {
        return TargetSettings.defaults();
    }
}
