package io.patchbay.rest.internal;

import java.util.List;
import java.util.Map;

import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.PolicyType;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.dto.SourceState;
import io.patchbay.api.dto.WindowsUpdateSource;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The allowed values of the DTO fields that hold a vocabulary of the api: the fields are strings in Java, so
 * swagger-core cannot see them, and clients generated from the description should.
 */
final class OpenApiVocabularies {
    /** Schema, property, allowed values; a list property's items take the values. */
    static final List<Object[]> FIELDS = List.of(
            new Object[] { "PolicyDTO", "type", PolicyType.allowed() },
            new Object[] { "PolicyDTO", "severities", Severity.allowed() },
            new Object[] { "PolicyDTO", "classifications", Classification.allowed() },
            new Object[] { "UpdateDTO", "severity", Severity.allowed() },
            new Object[] { "UpdateDTO", "classification", Classification.allowed() },
            new Object[] { "SourceDTO", "state", SourceState.allowed() },
            new Object[] { "WindowsUpdateDTO", "source", WindowsUpdateSource.allowed() },
            new Object[] { "TokenRequest", "role", TokensResource.ROLES });

    private OpenApiVocabularies() {
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    static OpenAPI describe(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents() == null ? null : api.getComponents().getSchemas();
        if (schemas == null) {
            return api;
        }
        for (Object[] field : FIELDS) {
            Schema<?> schema = schemas.get((String) field[0]);
            Schema property = schema == null || schema.getProperties() == null ? null
                    : schema.getProperties().get((String) field[1]);
            if (property == null) {
                continue;
            }
            Schema target = property.getItems() != null ? property.getItems() : property;
            target.setEnum((List<String>) field[2]);
        }
        Schema<?> policy = schemas.get("PolicyDTO");
        if (policy != null && policy.getProperties() != null && policy.getProperties().get("sources") != null) {
            policy.getProperties().get("sources").setDescription("advanced: the types or instance ids of sources "
                    + "present when the policy is written (GET /sources); an update matches either; empty means all");
        }
        return api;
    }
}
