package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.GroupDTO;

/** Groups stored before the Windows update settings became one object are read with their settings intact. */
class GroupWindowsUpdateMigrationTest {
    @TempDir
    Path dir;

    @Test
    void groupsStoredWithTheLooseFieldsKeepTheirWindowsUpdateSettingsOnH2() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("patchbay") + ";WRITE_DELAY=0";
        migrated(url, "patchbay", "", DatabaseTest.config());
    }

    @Test
    void groupsStoredWithTheLooseFieldsKeepTheirWindowsUpdateSettingsOnPostgres() throws Exception {
        String postgres = System.getenv("PATCHBAY_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(postgres != null && !postgres.isBlank(), "PATCHBAY_TEST_POSTGRES_URL is not set");
        String user = env("PATCHBAY_TEST_POSTGRES_USER", "patchbay");
        String password = env("PATCHBAY_TEST_POSTGRES_PASSWORD", "patchbay");
        // a schema of its own: the test database may hold a schema migrated to the end already
        String schema = "pb_migration_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(postgres, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            migrated(url, user, password, DatabaseTest.config(Map.of("url", url, "user", user, "_password", password,
                    "maxPoolSize", 2)));
        } finally {
            try (Connection c = DriverManager.getConnection(postgres, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private void migrated(String url, String user, String password, Database.Config config) throws Exception {
        // the schema as the server before this change left it, with groups written in its format
        Flyway.configure(getClass().getClassLoader()).dataSource(url, user, password)
                .resourceProvider(new BundleMigrations(new DatabaseTest().context().getBundle()))
                .table("pb_schema_history").target("2.1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            insert(c, "g-wsus", "{\"id\":\"g-wsus\",\"name\":\"wsus\",\"scanIntervalMinutes\":60,"
                    + "\"windowsUpdateSource\":\"wsus\",\"wsusUrl\":\"https://wsus.example.com:8531\","
                    + "\"policyIds\":[],\"version\":3}");
            insert(c, "g-keep", "{\"id\":\"g-keep\",\"name\":\"keep\",\"scanIntervalMinutes\":1440,"
                    + "\"windowsUpdateSource\":\"keep-device-settings\",\"wsusUrl\":\" \",\"version\":3}");
            insert(c, "g-plain", "{\"id\":\"g-plain\",\"name\":\"plain\",\"scanIntervalMinutes\":1440,"
                    + "\"windowsUpdateSource\":\"microsoft-update\",\"wsusUrl\":null,\"version\":3}");
        }

        Database db = new Database(new DatabaseTest().context(), config, () -> dir);
        try {
            StoreGroups groups = new StoreGroups(db, clock());
            GroupDTO wsus = groups.get("g-wsus").orElseThrow();
            assertEquals("wsus", wsus.windowsUpdate.source);
            assertEquals("https://wsus.example.com:8531", wsus.windowsUpdate.wsusUrl);
            assertEquals(60, wsus.scanIntervalMinutes);
            assertEquals(3, wsus.version, "a migration is no edit: the ETag stays");
            GroupDTO keep = groups.get("g-keep").orElseThrow();
            assertEquals("keep-device-settings", keep.windowsUpdate.source);
            assertNull(keep.windowsUpdate.wsusUrl, "a blank URL beside another source is dropped");
            assertEquals("microsoft-update", groups.get("g-plain").orElseThrow().windowsUpdate.source);

            // what was migrated is valid as it is: written back unchanged, it is accepted
            groups.update("g-keep", keep, 3, "test");
            keep.windowsUpdate.wsusUrl = "https://wsus.example.com";
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> groups.update("g-keep", keep, 4, "test"));
            assertEquals("windowsUpdate.wsusUrl", e.field());
        } finally {
            db.close();
        }
    }

    private static void insert(Connection c, String id, String body) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_document (kind, id, name, parent, version, body, "
                + "created_at, updated_at) VALUES ('group', ?, ?, NULL, 3, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
            s.setString(1, id);
            s.setString(2, id);
            s.setString(3, body);
            s.executeUpdate();
        }
    }

    private static StoreClock clock() throws Exception {
        StoreClock clock = new StoreClock();
        Field f = StoreClock.class.getDeclaredField("clock");
        f.setAccessible(true);
        f.set(clock, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        return clock;
    }
}
