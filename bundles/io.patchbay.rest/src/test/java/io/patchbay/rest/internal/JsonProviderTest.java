package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.UpdateDTO;

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

    private String detail(Class<?> type, String body) {
        return ProblemMapper.describe(assertThrows(JsonProcessingException.class, () -> json.readValue(body, type)));
    }

    @Test
    void fractionsAreNotWholeNumbers() {
        assertEquals("deferralHours", refusedField(PolicyDTO.class, "{\"deferralHours\":1.5}"));
        assertEquals("minAgeDays", refusedField(PolicyDTO.class, "{\"minAgeDays\":2.0}"));
        String d = detail(PolicyDTO.class, "{\"deferralHours\":1.5}");
        assertTrue(d.contains("deferralHours") && d.contains("whole number"), d);
        assertFalse(d.contains("Feature"), d);
    }

    @Test
    void blankStringsAreNotNumbers() {
        assertEquals("minAgeDays", refusedField(PolicyDTO.class, "{\"minAgeDays\":\"  \"}"));
        assertEquals("minAgeDays", refusedField(PolicyDTO.class, "{\"minAgeDays\":\"\"}"));
        assertEquals("deferralHours", refusedField(PolicyDTO.class, "{\"deferralHours\":\"\"}"));
        assertEquals("pendingReboot", refusedField(DeviceDTO.class, "{\"pendingReboot\":\" \"}"));
        String d = detail(PolicyDTO.class, "{\"minAgeDays\":\"  \"}");
        assertTrue(d.contains("minAgeDays"), d);
        assertFalse(d.contains("Coercion"), d);
    }

    @Test
    void timesAreIsoStringsNotNumbers() throws Exception {
        assertEquals("lastCheckIn", refusedField(DeviceDTO.class, "{\"lastCheckIn\":12}"));
        assertEquals("releasedAt", refusedField(UpdateDTO.class, "{\"releasedAt\":12}"));
        assertEquals("releasedAt", refusedField(UpdateDTO.class, "{\"releasedAt\":12.5}"));
        assertEquals("releasedAt", refusedField(UpdateDTO.class, "{\"releasedAt\":\"\"}"));
        String d = detail(DeviceDTO.class, "{\"lastCheckIn\":12}");
        assertTrue(d.contains("lastCheckIn") && d.contains("ISO-8601"), d);
        assertEquals(Instant.parse("2026-01-31T12:00:00Z"),
                json.readValue("{\"lastCheckIn\":\"2026-01-31T12:00:00Z\"}", DeviceDTO.class).lastCheckIn);
        assertNull(json.readValue("{\"lastCheckIn\":null}", DeviceDTO.class).lastCheckIn);
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThrows(JsonProcessingException.class, () -> json.readValue("{\"name\":\"a\",\"name\":\"b\"}",
                GroupDTO.class));
        assertTrue(detail(GroupDTO.class, "{\"name\":\"a\",\"name\":\"b\"}").contains("'name'"));
    }

    @Test
    void parserAdviceIsNotShown() {
        String d = detail(PolicyDTO.class, "{\"deferralHours\":NaN}");
        assertFalse(d.contains("Feature") || d.contains("enable"), d);
    }

    @Test
    void overlongUtf8IsRefused() {
        byte[] overlong = { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xc0, (byte) 0xaf, 'b', '"', '}' };
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JsonProvider.strictUtf8(overlong));
        assertEquals("body", e.field());
        JsonProvider.strictUtf8("{\"name\":\"a/b \u00e9 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8));
    }
}
