package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * One PostgreSQL database for several server nodes, from {@code PATCHBAY_TEST_POSTGRES_URL} (CI sets it), in a
 * schema of its own that only this test uses, so that reruns and other tests never see each other's rows.
 */
final class SharedPostgres implements AutoCloseable {
    final String schema = "nodes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String url;
    private final String user;
    private final String password;

    private SharedPostgres(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** A fresh schema; the test is skipped, saying why, when no PostgreSQL server is given. */
    static SharedPostgres fresh() throws SQLException {
        String url = System.getenv("PATCHBAY_TEST_POSTGRES_URL");
        assumeTrue(url != null && !url.isBlank(), "PATCHBAY_TEST_POSTGRES_URL is not set: several server nodes need "
                + "one PostgreSQL database to share (.ci/run starts one and sets it)");
        SharedPostgres db = new SharedPostgres(url, env("PATCHBAY_TEST_POSTGRES_USER", "patchbay"),
                env("PATCHBAY_TEST_POSTGRES_PASSWORD", "patchbay"));
        db.execute("CREATE SCHEMA " + db.schema);
        return db;
    }

    private static String env(String name, String absent) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? absent : v;
    }

    /** The JDBC URL of this schema: every connection of the store works in it. */
    String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The system properties that put a server's store on this schema, as a node with this id. */
    List<String> nodeProperties(String nodeId) {
        return List.of("-Dpatchbay.store.url=" + schemaUrl(), "-Dpatchbay.store.user=" + user,
                "-Dpatchbay.store.password=" + password, "-Dpatchbay.node.id=" + nodeId);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(schemaUrl(), user, password);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
