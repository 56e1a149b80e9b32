package io.patchbay.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Migrations on a real embedded H2 database, outside a framework. */
class DatabaseTest {
    @TempDir
    Path dir;

    /** A bundle context that finds this bundle's migration scripts on disk. */
    BundleContext context() {
        return context(Path.of("src/main/resources/db/migration").toAbsolutePath());
    }

    /** A bundle context that finds the migration scripts in the folder. */
    BundleContext context(Path scripts) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Bundle.class },
                (p, m, a) -> switch (m.getName()) {
                case "findEntries" -> {
                    List<URL> urls = new java.util.ArrayList<>();
                    try (var files = Files.list(scripts)) {
                        for (Path f : files.toList()) {
                            urls.add(f.toUri().toURL());
                        }
                    }
                    yield Collections.enumeration(urls);
                }
                case "getEntry" -> {
                    Path f = scripts.resolve(((String) a[0]).replace("db/migration/", ""));
                    yield Files.exists(f) ? f.toUri().toURL() : null;
                }
                default -> null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, a) -> switch (m.getName()) {
                case "getProperty" -> null;
                case "getBundle" -> bundle;
                default -> null;
                });
    }

    static Database.Config config() {
        return config(2);
    }

    static Database.Config config(int maxPoolSize) {
        return config(Map.of("url", "", "user", "patchbay", "_password", "", "maxPoolSize", maxPoolSize));
    }

    static Database.Config config(Map<String, Object> values) {
        return (Database.Config) Proxy.newProxyInstance(DatabaseTest.class.getClassLoader(),
                new Class<?>[] { Database.Config.class }, (p, m, a) -> m.getName().equals("annotationType")
                        ? Annotation.class : values.get(m.getName()));
    }

    @Test
    void migratesAnEmptyDatabaseAndRefusesOneNewerThanItKnows() throws Exception {
        Database db = new Database(context(), config(), () -> dir);
        java.util.Set<String> tables = db.transaction(c -> {
            java.util.Set<String> names = new java.util.TreeSet<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT LOWER(table_name) FROM information_schema.tables WHERE LOWER(table_name) LIKE 'pb_%'")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
        assertEquals(java.util.Set.of("pb_schema_history", "pb_document", "pb_audit", "pb_run", "pb_job",
                "pb_job_result", "pb_device_scan", "pb_device_update", "pb_run_job", "pb_credential",
                "pb_credential_bootstrap", "pb_job_log", "pb_enrollment_token", "pb_agent"), tables);
        db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO \"pb_schema_history\" (\"installed_rank\", \"version\", \"description\", "
                        + "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                        + "VALUES (99, '99', 'from a newer server', 'SQL', 'V99__newer.sql', 0, 'test', 0, TRUE)");
            }
            return null;
        });
        db.close();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Database(context(), config(), () -> dir));
        assertTrue(refused.getMessage().contains("schema is at version 99, newer than this server knows"),
                refused.getMessage());
        assertTrue(Files.exists(dir.resolve("patchbay.mv.db")), "the data stays where it was");
    }

    @Test
    void refusesUnsupportedDatabasesNamingTheUrl() {
        Map<String, Object> values = Map.of("url", "jdbc:mysql://db/patchbay?password=secret", "user", "u",
                "_password", "", "maxPoolSize", 2);
        Database.Config mysql = (Database.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { Database.Config.class }, (p, m, a) -> values.get(m.getName()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Database(context(), mysql, () -> dir));
        assertTrue(e.getMessage().startsWith("url: only jdbc:h2: and jdbc:postgresql:"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "no password in messages");
    }

    @Test
    void refusesAnEmptyDatabaseFileNamingIt() throws Exception {
        Path file = Files.createFile(dir.resolve("patchbay.mv.db"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Database(context(), config(), () -> dir));
        assertTrue(refused.getMessage().contains(file.toString()) && refused.getMessage().contains("empty"),
                refused.getMessage());
        assertEquals(0, Files.size(file), "the file is left as it was");
    }

    @Test
    void aCommitReachesTheFileBeforeItReturns() throws Exception {
        // a child JVM commits through the store's own settings and is killed at once; the row must be there
        Path marker = dir.resolve("committed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CommitThenWait.class.getName(), dir.toString(),
                marker.toString()).inheritIO().start();
        try {
            long until = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(marker), "the child committed");
        } finally {
            child.destroyForcibly().waitFor();
        }
        Database db = new Database(context(), config(), () -> dir);
        try {
            int rows = db.transaction(c -> {
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pb_run WHERE name = 'durable'")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertEquals(1, rows, "the acknowledged commit survived kill -9");
        } finally {
            db.close();
        }
    }

    /** Commits one row through a {@link Database}, says so in a file, and waits to be killed. */
    public static final class CommitThenWait {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Database db = new Database(new DatabaseTest().context(), config(), () -> dir);
            db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO pb_run (id, name, created_at, body) "
                            + "VALUES ('r1', 'durable', CURRENT_TIMESTAMP, '{}')");
                }
                return null;
            });
            Files.createFile(Path.of(args[1]));
            Thread.sleep(600_000);
        }
    }
}
