package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.RunDTO;

class JsonProviderTest {
    private final ObjectMapper json = JsonProvider.mapper();

    private String refusedField(Class<?> type, String body) {
        JsonMappingException e = assertThrows(JsonMappingException.class, () -> json.readValue(body, type));
        return e.getPath().isEmpty() ? "" : e.getPath().get(0).getFieldName();
    }

    @Test
    void numbersAndBooleansAreNotStrings() {
        assertEquals("hostname", refusedField(DeviceDTO.class, "{\"hostname\":true}"));
        assertEquals("hostname", refusedField(DeviceDTO.class, "{\"hostname\":12}"));
        assertEquals("hostname", refusedField(DeviceDTO.class, "{\"hostname\":1.5}"));
        assertEquals("tags", refusedField(DeviceDTO.class, "{\"tags\":[true]}"));
    }

    @Test
    void stringsAreNotNumbersOrBooleans() {
        assertEquals("scanIntervalMinutes", refusedField(GroupDTO.class, "{\"scanIntervalMinutes\":\"60\"}"));
        assertEquals("pendingReboot", refusedField(DeviceDTO.class, "{\"pendingReboot\":\"true\"}"));
        assertEquals("pendingReboot", refusedField(DeviceDTO.class, "{\"pendingReboot\":1}"));
    }

    @Test
    void loneSurrogatesAreRefusedInValuesListsAndKeys() {
        assertEquals("hostname", refusedField(DeviceDTO.class, "{\"hostname\":\"a\\ud800b\"}"));
        assertEquals("hostname", refusedField(DeviceDTO.class, "{\"hostname\":\"a\\udc00\"}"));
        assertThrows(JsonMappingException.class, () -> json.readValue("{\"tags\":[\"\\ud800\"]}", DeviceDTO.class));
        assertThrows(JsonMappingException.class, () -> json.readValue("{\"options\":{\"\\ud800\":\"x\"}}", RunDTO.class));
        assertThrows(JsonMappingException.class, () -> json.readValue("{\"options\":{\"k\":\"\\udfff\"}}", RunDTO.class));
    }

    @Test
    void wellFormedValuesAreRead() throws Exception {
        DeviceDTO d = json.readValue("{\"hostname\":\"h\\ud83d\\ude00\",\"tags\":[\"a\"],\"pendingReboot\":true}",
                DeviceDTO.class);
        assertEquals("h\ud83d\ude00", d.hostname);
        assertTrue(d.pendingReboot);
        assertEquals(60, json.readValue("{\"scanIntervalMinutes\":60}", GroupDTO.class).scanIntervalMinutes);
    }
}
