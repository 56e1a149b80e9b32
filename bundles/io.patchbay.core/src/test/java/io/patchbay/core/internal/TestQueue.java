package io.patchbay.core.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.patchbay.store.internal.Database;
import io.patchbay.store.internal.StoreJobQueue;

/** The store's real job queue on a fresh in-memory H2 database, migrated by the store's own scripts. */
final class TestQueue implements AutoCloseable {
    private static final Path SCRIPTS = Path.of("../io.patchbay.store/src/main/resources/db/migration")
            .toAbsolutePath().normalize();
    final Database db;
    final StoreJobQueue queue;

    TestQueue() {
        Map<String, Object> config = Map.of("url", "jdbc:h2:mem:jobs-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "user", "sa", "_password", "", "maxPoolSize", 10);
        Database.Config cfg = (Database.Config) Proxy.newProxyInstance(TestQueue.class.getClassLoader(),
                new Class<?>[] { Database.Config.class },
                (p, m, a) -> m.getName().equals("annotationType") ? Annotation.class : config.get(m.getName()));
        db = new Database(context(), cfg, () -> Path.of("target"));
        queue = new StoreJobQueue(db);
    }

    private static BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(TestQueue.class.getClassLoader(),
                new Class<?>[] { Bundle.class }, (p, m, a) -> switch (m.getName()) {
                case "findEntries" -> {
                    List<URL> urls = new ArrayList<>();
                    try (var files = Files.list(SCRIPTS)) {
                        for (Path f : files.toList()) {
                            urls.add(f.toUri().toURL());
                        }
                    }
                    yield Collections.enumeration(urls);
                }
                case "getEntry" -> {
                    Path f = SCRIPTS.resolve(((String) a[0]).replace("db/migration/", ""));
                    yield Files.exists(f) ? f.toUri().toURL() : null;
                }
                default -> null;
                });
        return (BundleContext) Proxy.newProxyInstance(TestQueue.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, a) -> switch (m.getName()) {
                case "getProperty" -> null;
                case "getBundle" -> bundle;
                default -> null;
                });
    }

    @Override
    public void close() {
        try {
            // the store's own deactivation closes the pool; the in-memory database goes with its last connection
            var close = Database.class.getDeclaredMethod("close");
            close.setAccessible(true);
            close.invoke(db);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
