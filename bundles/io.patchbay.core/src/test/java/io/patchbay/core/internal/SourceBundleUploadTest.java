package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import io.patchbay.api.InvalidInputException;

class SourceBundleUploadTest {
    private static byte[] jar(Map<String, String> headers, Map<String, String> entries) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            for (var e : entries.entrySet()) {
                jar.putNextEntry(new ZipEntry(e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] check(byte[] jar, String replaced) {
        return SourceBundleUpload.check(new ByteArrayInputStream(jar), "winget", replaced, "org.apache.felix.framework");
    }

    @Test
    void aCatalogPluginAsBndDescribesItIsAccepted() throws Exception {
        byte[] winget = jar(Map.of("Bundle-SymbolicName", "io.patchbay.thirdparty.winget", "Provide-Capability",
                "osgi.service;objectClass:List<String>=\"io.patchbay.api.catalog.AppCatalog\";"
                        + "uses:=\"io.patchbay.api.catalog\""), Map.of());
        assertArrayEquals(winget, check(winget, "io.patchbay.thirdparty.winget"));
    }

    @Test
    void aComponentOfferingUpdateSourceIsEnoughWithoutACapability() throws Exception {
        byte[] jar = jar(Map.of("Bundle-SymbolicName", "com.vendor.source;singleton:=true", "Service-Component",
                "OSGI-INF/com.vendor.Source.xml"), Map.of("OSGI-INF/com.vendor.Source.xml",
                        "<scr:component><service><provide interface=\"io.patchbay.api.source.UpdateSource\"/>"
                                + "</service></scr:component>"));
        check(jar, "com.vendor.source");
    }

    @Test
    void aCapabilityInAnotherNamespaceWithCommasInQuotesDoesNotCount() throws Exception {
        byte[] jar = jar(Map.of("Bundle-SymbolicName", "com.vendor.other", "Provide-Capability",
                "osgi.identity;note=\"a, io.patchbay.source, b\",other.ns;x=1"), Map.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> check(jar, "com.vendor.other"));
        assertTrue(e.getMessage().contains("provides neither"), e.getMessage());
        assertEquals(List.of("osgi.identity;note=\"a, io.patchbay.source, b\"", "other.ns;x=1"),
                SourceBundleUpload.clauses("osgi.identity;note=\"a, io.patchbay.source, b\",other.ns;x=1"));
    }

    @Test
    void platformNamesAreKnownAndPluginNamesAreNot() {
        for (String name : List.of("io.patchbay.core", "io.patchbay.api", "io.patchbay", "org.apache.felix.scr",
                "org.apache.felix.framework", "system.bundle", "org.eclipse.jetty.server", "org.apache.cxf.cxf-core",
                "org.apache.aries.spifly.dynamic.bundle", "org.osgi.service.component")) {
            assertTrue(SourceBundleUpload.isPlatform(name, "org.apache.felix.framework"), name);
        }
        for (String name : List.of("io.patchbay.source.apt", "io.patchbay.thirdparty.winget",
                "io.patchbay.test.source", "com.vendor.catalog", "io.patchbayx")) {
            assertFalse(SourceBundleUpload.isPlatform(name, "org.apache.felix.framework"), name);
        }
    }

    @Test
    void aBodyThatCannotBeReadStaysAnIoProblemNotABadJar() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("request bodies here may have at most 67108864 bytes");
            }
        };
        assertThrows(UncheckedIOException.class,
                () -> SourceBundleUpload.check(failing, "apt", "io.patchbay.source.apt", "org.apache.felix.framework"));
    }
}
