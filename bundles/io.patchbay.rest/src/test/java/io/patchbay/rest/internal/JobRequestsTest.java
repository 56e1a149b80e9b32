package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.UpdateDTO;

class JobRequestsTest {
    private static UpdateDTO update(String id) {
        UpdateDTO u = new UpdateDTO();
        u.id = id;
        return u;
    }

    @Test
    void aJobRequestListsEachUpdateOnce() {
        JobRequestDTO r = new JobRequestDTO();
        r.deviceId = "local";
        r.sourceId = "fast";
        r.updates = List.of(update("hello"), update("world"));
        assertDoesNotThrow(() -> JobRequests.check(r, Instant.now()));
        r.updates = List.of(update("hello"), update("world"), update("hello"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JobRequests.check(r,
                Instant.now()));
        assertEquals("updates[2].id", e.field());
        assertTrue(e.getMessage().contains("updates[0].id"), e.getMessage());
    }
}
