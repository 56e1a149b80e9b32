package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.patchbay.api.security.Role;

/** {@code POST /plugins} adds a new plugin through the plugins folder, for admins, after the same checks as a replace. */
class PluginUploadIT {
    static final Duration LIMIT = Duration.ofSeconds(30);
    private static Path folder;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
        folder = Path.of(System.getProperty("felix.fileinstall.dir"));
    }

    @AfterEach
    void removeAdded() throws Exception {
        Files.deleteIfExists(folder.resolve("io.patchbay.test.source.jar"));
        Await.until("the test source to leave", LIMIT, () -> testSource() == 404 ? true : null);
    }

    private static int testSource() {
        try {
            return Http.get("/sources/test").status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Http.Answer add(byte[] jar, String bearer) throws Exception {
        return Http.send(HttpRequest.newBuilder(URI.create(Http.api() + "/plugins")).header("Authorization", bearer)
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
    }

    @Test
    void anAdminAddsASourcePluginThatThenServesItsSource() throws Exception {
        Http.Answer added = add(Fixtures.testSource("1.0.0"), Http.bearer());
        assertEquals(201, added.status(), added.body());
        assertEquals("io.patchbay.test.source", added.json().get("bundle").asText(), added.body());
        assertTrue(added.json().get("installed").asBoolean(), added.body());
        assertTrue(Files.exists(folder.resolve("io.patchbay.test.source.jar")));
        Await.until("the test source", LIMIT, () -> testSource() == 200 ? true : null);

        Http.Answer again = add(Fixtures.testSource("1.0.1"), Http.bearer());
        assertEquals(409, again.status(), "an installed plugin is replaced, not added: " + again.body());

        JsonNode audited = Http.get("/audit?entity=plugin&entityId=io.patchbay.test.source").json()
                .get("items").get(0);
        assertEquals("add", audited.get("action").asText(), audited.toString());
        JsonNode details = Http.JSON.readTree(audited.get("after").asText());
        assertEquals(64, details.get("sha256").asText().length(), details.toString());
        assertEquals("unsigned", details.get("signer").asText(), details.toString());
    }

    @Test
    void onlyAdminsAddPluginsAndOnlySourceOrCatalogBundles() throws Exception {
        String operator = "Bearer " + Http.issue("plugin-operator-" + System.nanoTime(), Role.OPERATOR);
        Http.Answer refused = add(Fixtures.testSource("1.0.0"), operator);
        assertEquals(403, refused.status(), refused.body());
        Http.Answer platform = add(SourceUploadIT.testSourceNamed("io.patchbay.core"), Http.bearer());
        assertEquals(400, platform.status(), platform.body());
        assertTrue(platform.json().get("detail").asText().contains("platform bundle"), platform.body());
        java.util.Map<String, String> fragment = java.util.Map.of("Bundle-SymbolicName", "vendor.fragment",
                "Fragment-Host", "io.patchbay.core");
        assertEquals(400, add(SourceUploadIT.testSourceWith(fragment, e -> true), Http.bearer()).status());
        assertEquals(400, add("not a jar".getBytes(), Http.bearer()).status());
        assertFalse(Files.exists(folder.resolve("io.patchbay.test.source.jar")), "nothing was written");
        try (var files = Files.list(folder)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("vendor")).count());
        }
    }
}
