package io.patchbay.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.source.Host;

/**
 * Gives the {@link Host} through which a device can be reached now: the server's own machine, or a device connected
 * through its agent. The core asks every provider, highest service ranking first.
 */
@ConsumerType
public interface HostProvider {
    /** The host for the device, or empty when this provider cannot reach it now. */
    Optional<Host> hostFor(DeviceDTO device);
}
