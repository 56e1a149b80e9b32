package io.patchbay.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.AuditLog;

/** Audits operations that change no stored object (drains, replacements, jobs), after they were done. */
final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Audit() {
    }

    /**
     * Records what was done; the operation has happened already, so a store that cannot take the entry is logged,
     * not answered as a failure of the operation.
     */
    static void record(AuditLog log, String actor, String action, String entity, String entityId,
            Object... keysAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            details.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            String body = details.isEmpty() ? null : JSON.writeValueAsString(details);
            if (log == null) {
                LOG.warn("No audit log (the store is missing): {} {} '{}' by {} not audited {}", action, entity,
                        entityId, actor, body == null ? "" : body);
                return;
            }
            log.record(actor, action, entity, entityId, body);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("Could not audit {} {} '{}' by {}: {}", action, entity, entityId, actor, e.toString());
        }
    }
}
