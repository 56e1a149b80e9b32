package io.patchbay.thirdparty.winget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.patchbay.api.catalog.AppCatalog;
import io.patchbay.api.catalog.AppDTO;

/** The plugin in a framework: a factory configuration makes a catalog service of the manifests it names. */
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
class WingetCatalogIT {
    /** The manifests folder the configuration below names, unpacked from this test bundle. */
    static final Path MANIFESTS = Path.of(System.getProperty("java.io.tmpdir"), "winget-catalog-it-manifests");

    @BeforeAll
    static void unpackManifests() throws Exception {
        Bundle tests = FrameworkUtil.getBundle(WingetCatalogIT.class);
        for (URL url : Collections.list(tests.findEntries("manifests", "*.yaml", true))) {
            Path to = MANIFESTS.resolve(url.getPath().substring("/manifests/".length()));
            Files.createDirectories(to.getParent());
            try (InputStream in = url.openStream()) {
                Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void aFactoryConfigurationMakesACatalog(@InjectService ConfigurationAdmin cm,
            @InjectService(cardinality = 0) ServiceAware<AppCatalog> catalogs) throws Exception {
        Configuration config = cm.getFactoryConfiguration(WingetCatalog.PID, "test", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("id", "winget-test");
        props.put("name", "winget test manifests");
        props.put("location", MANIFESTS.toString());
        config.update(props);
        try {
            check(catalogs.waitForService(10_000));
        } finally {
            config.delete();
        }
        long end = System.currentTimeMillis() + 10_000;
        while (!catalogs.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertTrue(catalogs.isEmpty(), "deleting the configuration removes the catalog");
    }

    private static void check(AppCatalog catalog) throws Exception {
        assertEquals("winget-test", catalog.id());
        assertEquals("winget test manifests", catalog.name());
        List<AppDTO> apps = catalog.apps();
        assertEquals(List.of("7zip.7zip", "Mozilla.Firefox"), apps.stream().map(a -> a.id).sorted().toList());
        assertTrue(apps.stream().allMatch(a -> !a.releases.isEmpty()));
    }
}
