package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.PolicyType;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.dto.SourceState;
import io.patchbay.api.dto.WindowsUpdateSource;

class OpenApiVocabulariesTest {
    private static List<String> values(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void theDescriptionListsTheAllowedValuesOfEachVocabularyField() throws Exception {
        JsonNode schemas = new ObjectMapper().readTree(OpenApiResource.describe("1.0.0").call()).get("components")
                .get("schemas");
        JsonNode policy = schemas.get("PolicyDTO").get("properties");
        assertEquals(PolicyType.allowed(), values(policy.get("type").get("enum")));
        assertEquals(Severity.allowed(), values(policy.get("severities").get("items").get("enum")));
        assertEquals(Classification.allowed(), values(policy.get("classifications").get("items").get("enum")));
        assertTrue(policy.get("sources").get("description").asText().contains("GET /sources"));
        JsonNode update = schemas.get("UpdateDTO").get("properties");
        assertEquals(Severity.allowed(), values(update.get("severity").get("enum")));
        assertEquals(Classification.allowed(), values(update.get("classification").get("enum")));
        assertEquals(SourceState.allowed(),
                values(schemas.get("SourceDTO").get("properties").get("state").get("enum")));

        JsonNode group = schemas.get("GroupDTO").get("properties");
        assertEquals("#/components/schemas/WindowsUpdateDTO", group.get("windowsUpdate").get("$ref").asText());
        assertFalse(group.has("windowsUpdateSource"));
        assertFalse(group.has("wsusUrl"));
        assertEquals(WindowsUpdateSource.allowed(),
                values(schemas.get("WindowsUpdateDTO").get("properties").get("source").get("enum")));
    }

    @Test
    void aTokenRequestListsOnlyTheRolesPostTokensAccepts() throws Exception {
        JsonNode role = new ObjectMapper().readTree(OpenApiResource.describe("1.0.0").call()).get("components")
                .get("schemas").get("TokenRequest").get("properties").get("role");
        assertEquals(List.of("ADMIN", "OPERATOR", "READ_ONLY"), values(role.get("enum")));
    }
}
