package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.RunDTO;

/** A run names each device and each source once: one listed twice would be scanned and patched twice. */
class RunListsTest {
    @TempDir
    Path dir;
    private Database db;
    private StoreRuns runs;

    @BeforeEach
    void start() throws Exception {
        db = new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> dir);
        StoreClock clock = new StoreClock();
        Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, Clock.systemUTC());
        runs = new StoreRuns(new DatabaseTest().context(), db, clock);
    }

    @AfterEach
    void stop() {
        db.close();
    }

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
