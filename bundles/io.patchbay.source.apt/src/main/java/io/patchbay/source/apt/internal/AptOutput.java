package io.patchbay.source.apt.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what apt-get, apt-cache and dpkg-query print (run with {@code LC_ALL=C}). Lines that match nothing known
 * (warnings, progress, notices) are skipped, never fatal.
 */
final class AptOutput {
    private AptOutput() {
    }

    /** One upgrade apt-get would make: {@code Inst name [installed] (candidate origin, origin [arch])}. */
    record Upgrade(String name, String installed, String candidate, List<String> origins, String arch) {
        /** True when one of the archives it comes from is a security archive ({@code *-security}). */
        boolean security() {
            return origins.stream().map(o -> o.toLowerCase(Locale.ROOT))
                    .anyMatch(o -> o.endsWith("-security") || o.contains("security:") || o.contains("-security/"));
        }
    }

    /** Installed package state from {@code dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'}. */
    record Installed(String name, String version, String status) {
        /** {@code ii}: installed and configured. */
        boolean configured() {
            return status.startsWith("ii");
        }
    }

    private static final Pattern INST = Pattern
            .compile("^Inst (\\S+) \\[([^\\]]+)\\] \\((\\S+) (.*?) ?\\[([^\\]]+)\\]\\)(.*)$");

    static List<Upgrade> simulatedUpgrades(String stdout) {
        List<Upgrade> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            Matcher m = INST.matcher(line.strip());
            if (m.matches()) {
                List<String> origins = new ArrayList<>();
                for (String o : m.group(4).split(",")) {
                    if (!o.isBlank()) {
                        origins.add(o.strip());
                    }
                }
                out.add(new Upgrade(m.group(1), m.group(2), m.group(3), origins, m.group(5)));
            }
        }
        return out;
    }

    static Map<String, Installed> installed(String stdout) {
        Map<String, Installed> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 3 && !f[0].isBlank()) {
                out.put(f[0].strip(), new Installed(f[0].strip(), f[1].strip(), f[2].strip()));
            }
        }
        return out;
    }

    /** Versions apt-cache madison lists per package: {@code name | version | source}. */
    static Map<String, List<String>> madison(String stdout) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\\|");
            if (f.length >= 3) {
                out.computeIfAbsent(f[0].strip(), k -> new ArrayList<>()).add(f[1].strip());
            }
        }
        return out;
    }

    /** apt's error lines ({@code E: ...}), joined; or the last lines when it printed none. */
    static String errors(String stdout, String stderr) {
        List<String> errors = new ArrayList<>();
        for (String line : (stderr + "\n" + stdout).split("\n")) {
            if (line.startsWith("E: ") || line.startsWith("dpkg: error")) {
                errors.add(line.strip());
            }
        }
        if (!errors.isEmpty()) {
            return String.join("; ", errors);
        }
        String[] lines = (stderr.isBlank() ? stdout : stderr).strip().split("\n");
        return String.join("; ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length)).strip();
    }

    /** What dpkg said about one package's failure, e.g. its maintainer script's exit status. */
    static String dpkgErrorFor(String output, String name) {
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("dpkg: error processing package " + name + " ")
                    || lines[i].startsWith("dpkg: error processing archive") && lines[i].contains(name)) {
                String detail = i + 1 < lines.length ? lines[i + 1].strip() : "";
                return (lines[i].strip() + " " + detail).strip();
            }
        }
        return null;
    }

    static boolean lockHeld(String output) {
        return output.contains("Could not get lock") || output.contains("Unable to acquire the dpkg frontend lock")
                || output.contains("Unable to lock the administration directory");
    }
}
