package io.patchbay.api.version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** The ecosystems' own version comparison, for differential tests: dpkg and librpm. */
final class RealTools {
    private RealTools() {
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Sign of dpkg's comparison of two versions. */
    static int dpkg(String a, String b) throws IOException, InterruptedException {
        if (run("dpkg", "--compare-versions", a, "lt", b) == 0) {
            return -1;
        }
        return run("dpkg", "--compare-versions", a, "eq", b) == 0 ? 0 : 1;
    }

    private static int run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", argv));
        }
        return p.exitValue();
    }

    /** Signs of librpm's comparison of each pair of EVR strings, in one run of rpm's embedded Lua. */
    static List<Integer> rpm(List<String[]> pairs) throws IOException, InterruptedException {
        Path input = Files.createTempFile("evr-pairs", ".txt");
        try {
            StringBuilder sb = new StringBuilder();
            for (String[] p : pairs) {
                sb.append(p[0]).append('\n').append(p[1]).append('\n');
            }
            Files.writeString(input, sb, StandardCharsets.UTF_8);
            String lua = "%{lua: local f = io.open('" + input + "') "
                    + "while true do local a = f:read('*l'); if a == nil then break end; local b = f:read('*l'); "
                    + "print(rpm.vercmp(a, b) .. ' ') end f:close()}";
            Process p = new ProcessBuilder("rpm", "--eval", lua).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            List<Integer> signs = new ArrayList<>();
            for (String t : out.trim().split("\\s+")) {
                signs.add(Integer.signum(Integer.parseInt(t)));
            }
            if (signs.size() != pairs.size()) {
                throw new IOException("rpm answered " + signs.size() + " of " + pairs.size() + ": " + out);
            }
            return signs;
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /** A random string over an alphabet, weighted towards digits and separators that make versions interesting. */
    static String random(Random r, String alphabet, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
