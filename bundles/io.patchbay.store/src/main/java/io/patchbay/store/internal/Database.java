package io.patchbay.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.patchbay.api.DataFolder;

/**
 * The database: embedded H2 in the data folder unless a PostgreSQL URL is configured, behind a HikariCP pool, with its
 * schema migrated by Flyway. A schema newer than this server knows stops the store with a message that says so.
 * It offers itself as a service only once the database is open and migrated: a store that cannot start offers
 * nothing, so what depends on it stays away (health says DOWN) instead of failing on a service that cannot be had.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.patchbay.store.internal.Database")
@Component(service = {}, immediate = true, configurationPid = Database.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = Database.Config.class)
public class Database {
    static final String PID = "io.patchbay.store";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    @ObjectClassDefinition(name = "Patchbay store")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL: empty for embedded H2 in the data folder, or jdbc:postgresql://...")
        String url() default "";

        @AttributeDefinition(description = "Database user")
        String user() default "patchbay";

        @AttributeDefinition(description = "Database password (kept out of service properties)",
                type = AttributeType.PASSWORD)
        String _password() default "";

        @AttributeDefinition(description = "Connections in the pool at most")
        int maxPoolSize() default 10;
    }

    /** Work done with one connection in one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final String description;
    private final ServiceRegistration<Database> registration;

    @Activate
    public Database(BundleContext context, Config config, @Reference DataFolder data) {
        // configuration first, then the patchbay.store.* properties of the framework, then embedded H2
        String url = first(config.url(), context.getProperty("patchbay.store.url"));
        String user = first(config.url().isBlank() ? null : config.user(), context.getProperty("patchbay.store.user"),
                config.user());
        String password = first(config.url().isBlank() ? null : config._password(),
                context.getProperty("patchbay.store.password"), config._password());
        if (url == null || url.isBlank()) {
            refuseEmptyFile(data.path().resolve("patchbay.mv.db"));
            // the framework's orderly stop closes the store, not H2's own shutdown hook
            url = "jdbc:h2:file:" + data.path().resolve("patchbay") + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        url = durable(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource(url, user, password));
        hikari.setMaximumPoolSize(Math.max(2, config.maxPoolSize()));
        hikari.setPoolName("patchbay-store");
        hikari.setAutoCommit(true);
        this.description = url.replaceAll("password=[^;&]*", "password=***");
        HikariDataSource opened = null;
        try {
            // opening the pool opens the database: a corrupted file fails here, and the log must say so
            opened = new HikariDataSource(hikari);
            this.pool = opened;
            migrate(context);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            LOG.error("The store at {} cannot start: {}", description, e.getMessage());
            throw e;
        }
        this.registration = context.registerService(Database.class, this, null);
    }

    /**
     * An embedded H2 database writes a commit to its file before the commit returns: by default it keeps commits in
     * memory for up to a second, and a kill loses every change since the last write.
     */
    static String durable(String url) {
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) {
            return url + ";WRITE_DELAY=0";
        }
        return url;
    }

    /** H2 would make a new empty database of a file that lost its content: a silent loss of everything stored. */
    static void refuseEmptyFile(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                String message = "the database file " + file + " is empty (0 bytes): its data is lost or it was "
                        + "truncated; the store does not start on it. Restore the file from a backup, or move it "
                        + "away to start with an empty store";
                LOG.error("The store cannot start: {}", message);
                throw new IllegalStateException(message);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the database file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:h2:")) {
            org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
            ds.setURL(url);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        }
        throw new IllegalArgumentException("url: only jdbc:h2: and jdbc:postgresql: databases are supported (was '"
                + url.replaceAll("password=[^;&]*", "password=***") + "')");
    }

    private void migrate(BundleContext context) {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader()).dataSource(pool)
                .resourceProvider(new BundleMigrations(context.getBundle())).table("pb_schema_history")
                .javaMigrations(new V6_0__Group_windows_update()).load();
        String known = null;
        for (MigrationInfo m : flyway.info().all()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new IllegalStateException("the database schema is at version " + m.getVersion()
                        + ", newer than this server knows; run a Patchbay server at least as new as the one that "
                        + "upgraded it (" + description + ")");
            }
            if (m.getState().isResolved()) {
                known = m.getVersion().getVersion();
            }
        }
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("Store at {}: schema version {}{}", description, known,
                applied == 0 ? "" : " (" + applied + " migration(s) applied)");
    }

    <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Deactivate
    void close() {
        // what uses the store goes away first, while its connections still work
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping: already unregistered
            }
        }
        pool.close();
    }

    /** A database failure; callers get it as a server error, never as a half-done change. */
    static final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreException(SQLException cause) {
            super("the store failed: " + cause.getMessage(), cause);
        }

        boolean isUniqueViolation() {
            return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
        }
    }
}
