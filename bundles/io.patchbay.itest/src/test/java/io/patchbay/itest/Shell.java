package io.patchbay.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real package tools to build the packages, repositories and device folders the tests use. */
final class Shell {
    private Shell() {
    }

    static String run(Path dir, String... argv) throws IOException, InterruptedException {
        return run(dir, List.of(argv));
    }

    static String run(Path dir, List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed:\n" + out);
        }
        return out;
    }

    static String sh(Path dir, String script) throws IOException, InterruptedException {
        return run(dir, "sh", "-ec", script);
    }
}
