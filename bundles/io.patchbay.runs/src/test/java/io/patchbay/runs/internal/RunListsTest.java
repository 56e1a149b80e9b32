package io.patchbay.runs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.RunDTO;

/** A run names each device and each source once: one listed twice would be scanned and patched twice. */
class RunListsTest {
    // the lists are checked before any device, policy or source is looked at
    private final RunService runs = new RunService();

    private static RunDTO run(List<String> deviceIds, List<String> sourceIds) {
        RunDTO run = new RunDTO();
        run.name = "nightly";
        run.policyId = "p";
        run.deviceIds = deviceIds;
        run.sourceIds = sourceIds;
        return run;
    }

    @Test
    void refusesASourceListedTwice() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> runs.start(run(null, List.of("test", "test")), "tester"));
        assertEquals("sourceIds", refused.field());
    }

    @Test
    void refusesADeviceListedTwice() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> runs.start(run(List.of("d1", "d1"), null), "tester"));
        assertEquals("deviceIds", refused.field());
    }

    @Test
    void namesTheEntryOfAListWithAMissingValue() {
        List<String> withNull = new java.util.ArrayList<>();
        withNull.add("test");
        withNull.add(null);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> runs.start(run(null, withNull), "tester"));
        assertEquals("sourceIds[1]", refused.field());
    }
}
