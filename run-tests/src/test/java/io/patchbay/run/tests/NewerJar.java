package io.patchbay.run.tests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A copy of the runnable jar as a newer build would make it: one embedded bundle at a new version under a new path,
 * with the jar's digest for it and the launcher's list of bundles to match.
 */
final class NewerJar {
    private NewerJar() {
    }

    /** Replaces the embedded bundle whose path starts with {@code prefix} by itself at {@code version}. */
    static Path withBundleVersion(Path jar, String prefix, String version, Path target) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            manifest = new Manifest(in.getManifest());
            for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        String oldPath = entries.keySet().stream().filter(n -> n.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the jar embeds no " + prefix + "*"));
        String newPath = prefix + version + ".jar";
        byte[] bundle = withVersion(entries.remove(oldPath), version);
        entries.put(newPath, bundle);
        String launch = new String(entries.get("launcher.properties"), StandardCharsets.ISO_8859_1);
        entries.put("launcher.properties", launch.replace(oldPath, newPath).getBytes(StandardCharsets.ISO_8859_1));
        manifest.getEntries().remove(oldPath);
        for (String name : new String[] { newPath, "launcher.properties" }) {
            Attributes digest = new Attributes();
            digest.putValue("SHA-256-Digest", sha256(entries.get(name)));
            manifest.getEntries().put(name, digest);
        }
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file,
                manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    /** A bundle jar with its Bundle-Version set. */
    static byte[] withVersion(byte[] bundle, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    jar.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
