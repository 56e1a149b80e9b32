package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.PolicyDTO;

/** Patch policies. */
@ProviderType
public interface Policies extends EntityStore<PolicyDTO> {
}
