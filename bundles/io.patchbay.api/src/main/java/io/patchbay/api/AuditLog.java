package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.AuditEntryDTO;
import io.patchbay.api.dto.PageDTO;

/** Every change made through the store, newest first. */
@ProviderType
public interface AuditLog {
    PageDTO<AuditEntryDTO> page(String entity, String entityId, String cursor, int limit);
}
