package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.GroupDTO;

/** Groups of devices and the policies assigned to them. */
@ProviderType
public interface Groups extends EntityStore<GroupDTO> {
}
