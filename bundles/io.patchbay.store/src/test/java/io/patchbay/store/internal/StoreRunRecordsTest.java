package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;

/** Run rows and the jobs each run noted: kept once, in the order noted, with the first failure. */
class StoreRunRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-10T02:00:00Z");
    @TempDir
    Path dir;
    private Database db;
    private StoreRunRecords records;

    @BeforeEach
    void start() throws Exception {
        db = new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> dir);
        records = new StoreRunRecords(db);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    private RunDTO run(String id, Instant created, int minutes) {
        RunDTO run = new RunDTO();
        run.id = id;
        run.name = "Run " + id;
        run.policyId = "p1";
        run.createdAt = created;
        run.deadline = created.plusSeconds(60L * minutes);
        records.create(run, "ops");
        return run;
    }

    @Test
    void notesEachJobOnceInTheOrderNotedAndWhichEndsAreHandled() {
        run("r1", T0, 30);
        records.handedOver("r1", List.of("scan-a", "scan-b"), null);
        records.handedOver("r1", List.of("scan-a"), null);
        records.handedOver("r1", List.of("install-a"), "scan-a");
        records.handled("r1", "scan-a");
        records.handled("r1", "retry-of-b");
        RunRecordDTO record = records.get("r1").orElseThrow();
        assertEquals(List.of("scan-a", "scan-b", "install-a", "retry-of-b"),
                record.jobs.stream().map(j -> j.jobId).toList());
        assertEquals("scan-a", record.jobs.get(2).follows);
        assertTrue(record.jobs.get(0).handled);
        assertFalse(record.jobs.get(1).handled);
        assertTrue(record.jobs.get(3).handled, "a job that joined the run is noted with its end");
        assertEquals(java.util.Optional.of("install-a"), records.follower("scan-a"));
        assertTrue(records.follower("scan-b").isEmpty());
        assertEquals("Run r1", records.run("r1").orElseThrow().name);
    }

    @Test
    void atMostOneJobFollowsAJob() {
        run("r1", T0, 30);
        records.handedOver("r1", List.of("install-a"), "scan-a");
        assertThrows(Database.StoreException.class, () -> records.handedOver("r1", List.of("install-b"), "scan-a"));
        assertEquals(1, records.get("r1").orElseThrow().jobs.size(), "nothing of the refused note is kept");
    }

    @Test
    void keepsTheFirstFailure() {
        run("r1", T0, 30);
        records.failed("r1", "INSTALL on device 'd1' could not start: first");
        records.failed("r1", "second");
        assertEquals("INSTALL on device 'd1' could not start: first", records.get("r1").orElseThrow().failure);
    }

    @Test
    void openRunsAreThoseBeforeTheirDeadlineOldestFirst() {
        run("old", T0, 10);
        run("late", T0.plusSeconds(60), 120);
        run("early", T0.plusSeconds(30), 120);
        assertEquals(List.of("old", "early", "late"), records.openAt(T0.plusSeconds(120)).stream()
                .map(r -> r.run.id).toList());
        assertEquals(List.of("early", "late"), records.openAt(T0.plusSeconds(600)).stream().map(r -> r.run.id)
                .toList());
        assertEquals(List.of("late", "early", "old"), records.page(null, null, 10).items.stream()
                .map(r -> r.run.id).toList(), "pages are newest first");
        assertEquals(List.of("early"), records.page("EARL", null, 10).items.stream().map(r -> r.run.id).toList());
    }

    @Test
    void runsOfAnEarlierVersionKeepTheirOutcomeAndTheirLostJobs() throws Exception {
        db.close();
        Path old = dir.resolve("old-scripts");
        java.nio.file.Files.createDirectories(old);
        try (var scripts = java.nio.file.Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path script : scripts.toList()) {
                if (script.getFileName().toString().matches("V(1|2|2_1)__.*")) {
                    java.nio.file.Files.copy(script, old.resolve(script.getFileName()));
                }
            }
        }
        Path data = dir.resolve("upgraded");
        Database before = new Database(new DatabaseTest().context(old), DatabaseTest.config(), () -> data);
        java.sql.Timestamp t = java.sql.Timestamp.from(T0);
        before.transaction(c -> {
            Rows.update(c, "INSERT INTO pb_run (id, name, created_at, body, open_jobs) VALUES (?, ?, ?, ?, ?)", "done",
                    "done", t, "{\"id\":\"done\",\"name\":\"done\"}", 0);
            Rows.update(c, "INSERT INTO pb_run (id, name, created_at, body, open_jobs, open_owner) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", "lost", "lost", t, "{\"id\":\"lost\",\"name\":\"lost\"}", 2, "old");
            for (String[] job : new String[][] { { "scan-1", "done" }, { "install-1", "done" }, { "scan-2", "lost" } }) {
                Rows.update(c, "INSERT INTO pb_job (id, run_id, device_id, source_id, kind, state, ended_at, body) "
                        + "VALUES (?, ?, 'd1', 'apt', 'SCAN', 'SUCCEEDED', ?, '{}')", job[0], job[1], t);
            }
            // the Java migrations are registered in code and ran here too; an earlier server had none of them
            Rows.update(c, "DELETE FROM \"pb_schema_history\" WHERE \"version\" > '3'");
            return null;
        });
        before.close();

        db = new Database(new DatabaseTest().context(), DatabaseTest.config(), () -> data);
        records = new StoreRunRecords(db);
        RunRecordDTO done = records.get("done").orElseThrow();
        assertEquals(List.of("scan-1", "install-1"), done.jobs.stream().map(j -> j.jobId).toList());
        assertTrue(done.jobs.stream().allMatch(j -> j.handled), "handled when they were recorded");
        RunRecordDTO lost = records.get("lost").orElseThrow();
        assertEquals(List.of("scan-2", "lost-lost"), lost.jobs.stream().map(j -> j.jobId).toList(),
                "the jobs it never saw recorded stand as one the engine does not know");
        assertFalse(lost.jobs.get(1).handled);
        assertEquals(List.of(), records.openAt(T0), "no run of an earlier version is carried on");
    }
}
