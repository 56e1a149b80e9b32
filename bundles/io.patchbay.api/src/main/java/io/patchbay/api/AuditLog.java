package io.patchbay.api;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.AuditEntryDTO;
import io.patchbay.api.dto.PageDTO;

/** Every change made through the store, newest first. */
@ProviderType
public interface AuditLog {
    PageDTO<AuditEntryDTO> page(String entity, String entityId, String cursor, int limit);

    /**
     * Records an operation that changes no stored object, such as draining, resuming or replacing a source, or
     * submitting or cancelling a job, with who asked for it.
     *
     * @param details what the operation did, as a JSON object, or null
     */
    void record(String actor, String action, String entity, String entityId, String details);
}
