package io.patchbay.thirdparty.winget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** The catalog read from an archive of manifests at an HTTP location, as from the winget repository. */
class WingetCatalogTest {
    @TempDir
    Path tmp;

    static WingetCatalog.Config config(String location) {
        Map<String, Object> values = Map.of("id", "winget-http", "name", "winget over HTTP", "location", location,
                "refreshMinutes", 60);
        return (WingetCatalog.Config) Proxy.newProxyInstance(WingetCatalogTest.class.getClassLoader(),
                new Class<?>[] { WingetCatalog.Config.class }, (proxy, method, args) -> values.get(method.getName()));
    }

    static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new ZipEntry("winget-pkgs-master/manifests/" + folder.relativize(p)));
                Files.copy(p, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void readsAnArchiveOfManifestsOverHttp() throws Exception {
        byte[] archive = zip(Path.of(WingetCatalogTest.class.getResource("/manifests").toURI()));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/archive.zip", exchange -> {
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            WingetCatalog catalog = new WingetCatalog(config(base + "/archive.zip"));
            assertEquals(2, catalog.apps().size());
            assertEquals("winget-http", catalog.id());
            IOException missing = assertThrows(IOException.class,
                    () -> new WingetCatalog(config(base + "/nothing.zip")).apps());
            assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aLocationThatIsNeitherFolderNorUrlIsNamedInTheError() {
        IOException e = assertThrows(IOException.class,
                () -> new WingetCatalog(config(tmp.resolve("absent").toString())).apps());
        assertTrue(e.getMessage().startsWith("location: "), e.getMessage());
    }

    @Test
    void refusesArchiveEntriesThatClimbOutOfTheFolder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../escape.yaml"));
            zip.write("x".getBytes());
            zip.closeEntry();
        }
        IOException e = assertThrows(IOException.class,
                () -> WingetCatalog.unzip(new ByteArrayInputStream(bytes.toByteArray()), tmp));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}
