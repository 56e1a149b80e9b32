package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.dto.UpdateResultRowDTO;

/** Filters by run name and title match the text given, '%', '_' and '\' included, not as wildcards. */
class LikeEscapeTest {
    @TempDir
    Path dir;
    private Database db;
    private JobRecords records;

    @BeforeEach
    void start() {
        db = new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> dir);
        records = new JobRecords(db);
        db.transaction(c -> {
            Timestamp now = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
            for (String[] run : List.of(new String[] { "r1", "KR" }, new String[] { "r2", "K_1" },
                    new String[] { "r3", "50% off" }, new String[] { "r4", "a\\b" })) {
                Rows.update(c, "INSERT INTO pb_run (id, name, created_at, body) VALUES (?, ?, ?, ?)", run[0], run[1],
                        now, "{}");
            }
            String insert = "INSERT INTO pb_job_result (job_id, update_id, run_id, device_id, source_id, title, "
                    + "status, ended_at) VALUES (?, 'u', ?, 'd', 's', ?, 'SUCCEEDED', ?)";
            Rows.update(c, insert, "j1", "r1", "hello", now);
            Rows.update(c, insert, "j2", "r2", "h_llo 100%", now);
            Rows.update(c, insert, "j3", "r3", "path a\\b", now);
            Rows.update(c, insert, "j4", "r4", "other", now);
            return null;
        });
    }

    @AfterEach
    void stop() {
        db.close();
    }

    private List<String> byTitle(String title) {
        return records.results(null, null, null, title, null, 50).items.stream().map((UpdateResultRowDTO r) -> r.jobId)
                .sorted().toList();
    }

    private List<String> byRunName(String runName) {
        return records.results(runName, null, null, null, null, 50).items.stream().map((UpdateResultRowDTO r) -> r.jobId)
                .sorted().toList();
    }

    @Test
    void aPercentOrUnderscoreInATitleMatchesOnlyItself() {
        assertEquals(List.of("j2"), byTitle("%"));
        assertEquals(List.of("j2"), byTitle("h_llo"));
        assertEquals(List.of("j3"), byTitle("a\\b"));
        assertEquals(List.of("j3"), byTitle("\\"));
        assertEquals(List.of("j1", "j2"), byTitle("LLO"));
        assertEquals(List.of("j1", "j2", "j3", "j4"), byTitle(null));
    }

    @Test
    void anUnderscoreInARunNameMatchesOnlyItself() {
        assertEquals(List.of("j2"), byRunName("K_"));
        assertEquals(List.of("j2"), byRunName("_"));
        assertEquals(List.of("j3"), byRunName("%"));
        assertEquals(List.of("j4"), byRunName("\\"));
        assertEquals(List.of("j1", "j2"), byRunName("k"));
    }

    @Test
    void aPatternEscapesWildcardsAndTheEscapeCharacter() {
        assertEquals("%50\\%\\_a\\\\b%", Rows.containing("50%_A\\b"));
        assertEquals("%", Rows.containing(null));
    }
}
