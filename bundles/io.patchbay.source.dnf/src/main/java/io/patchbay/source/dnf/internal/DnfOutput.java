package io.patchbay.source.dnf.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what dnf, yum and rpm print (run with {@code LC_ALL=C}). Headers, progress and warnings are skipped; a line
 * that does not have the expected shape is never fatal.
 */
final class DnfOutput {
    private DnfOutput() {
    }

    /** A package line of check-update or list: {@code name.arch  [epoch:]version-release  repo}. */
    record PackageLine(String name, String arch, String evr, String repo) {
        String key() {
            return name + "." + arch;
        }
    }

    /** An advisory from {@code updateinfo info}. */
    record Advisory(String id, String type, String severity, String updated, List<String> cves, String title,
            String description, List<String> files) {
    }

    private static final Pattern PACKAGE = Pattern.compile("^(\\S+)\\.([A-Za-z0-9_]+)\\s+(\\S+)\\s+(\\S+)\\s*$");
    private static final Pattern EVR = Pattern.compile("^(\\d+:)?[^\\s:-][^\\s:]*-[^\\s-]+$");

    /** Package lines; stops at the obsoletes section of check-update, which lists replacements, not updates. */
    static List<PackageLine> packages(String stdout) {
        List<PackageLine> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("Obsoleting Packages")) {
                break;
            }
            Matcher m = PACKAGE.matcher(line);
            if (m.matches() && EVR.matcher(m.group(3)).matches() && !m.group(1).contains(":")) {
                out.add(new PackageLine(m.group(1), m.group(2), stripZeroEpoch(m.group(3)), m.group(4)));
            }
        }
        return out;
    }

    /** {@code name.arch<TAB>epoch:version-release} lines of rpm -qa, keyed by name.arch. */
    static Map<String, String> installed(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2 && !f[0].isBlank()) {
                out.put(f[0].strip(), stripZeroEpoch(f[1].strip()));
            }
        }
        return out;
    }

    static String stripZeroEpoch(String evr) {
        return evr.startsWith("0:") ? evr.substring(2) : evr;
    }

    /** The advisories of {@code updateinfo info} (dnf and yum print the same layout). */
    static List<Advisory> advisories(String stdout) {
        List<Advisory> out = new ArrayList<>();
        String[] lines = stdout.split("\n");
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("=====")) {
                i++;
                continue;
            }
            String title = i + 1 < lines.length ? lines[i + 1].strip() : "";
            i += 2;
            if (i < lines.length && lines[i].startsWith("=====")) {
                i++;
            }
            Map<String, List<String>> fields = new HashMap<>();
            String key = null;
            for (; i < lines.length && !lines[i].startsWith("====="); i++) {
                String line = lines[i];
                int colon = line.indexOf(": ");
                if (colon < 0) {
                    if (line.strip().endsWith(":") && !line.isBlank()) {
                        key = line.strip().substring(0, line.strip().length() - 1);
                        fields.computeIfAbsent(key, k -> new ArrayList<>());
                    }
                    continue;
                }
                String k = line.substring(0, colon).strip();
                String v = line.substring(colon + 2).strip();
                if (k.isEmpty() && key != null) {
                    fields.get(key).add(v);
                } else if (!k.isEmpty()) {
                    key = k;
                    fields.computeIfAbsent(key, x -> new ArrayList<>()).add(v);
                }
            }
            String id = first(fields, "Update ID");
            if (id != null) {
                out.add(new Advisory(id, first(fields, "Type"), first(fields, "Severity"), first(fields, "Updated"),
                        fields.getOrDefault("CVEs", List.of()), title,
                        String.join("\n", fields.getOrDefault("Description", List.of())),
                        fields.getOrDefault("Files", List.of())));
            }
        }
        return out;
    }

    private static String first(Map<String, List<String>> fields, String key) {
        List<String> v = fields.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Packages whose updateinfo entry suggests a reboot, as name-version-release, from raw updateinfo XML. */
    static Set<String> rebootSuggested(String xml) {
        Set<String> out = new java.util.HashSet<>();
        Matcher m = Pattern.compile("<package\\b([^>]*)>(.*?)</package>", Pattern.DOTALL).matcher(xml);
        while (m.find()) {
            if (Pattern.compile("<reboot_suggested>\\s*(?i:true|1)\\s*</reboot_suggested>").matcher(m.group(2))
                    .find()) {
                String attrs = m.group(1);
                out.add(attr(attrs, "name") + "-" + attr(attrs, "version") + "-" + attr(attrs, "release"));
            }
        }
        return out;
    }

    private static String attr(String attrs, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1) : "";
    }

    /** rpm's or dnf's report of a failed scriptlet for a package, e.g. its %post. */
    static String scriptletError(String output, String name) {
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("Error in ") && lines[i].contains("scriptlet in rpm package " + name)) {
                StringBuilder why = new StringBuilder(lines[i].strip());
                for (int j = Math.max(0, i - 20); j < i; j++) {
                    if ((lines[j].startsWith("error: ") || lines[j].startsWith("warning: %"))
                            && lines[j].contains("(" + name + "-")) {
                        why.append(": ").append(lines[j].strip());
                    }
                }
                return why.toString();
            }
        }
        return null;
    }

    /** dnf's and rpm's error lines, with the problem lines that explain them; or the last lines. */
    static String errors(String stdout, String stderr) {
        String all = stderr + "\n" + stdout;
        List<String> errors = new ArrayList<>();
        boolean explaining = false;
        for (String line : all.split("\n")) {
            String s = line.strip();
            boolean error = s.startsWith("Error") || s.startsWith("error:") || s.startsWith("RPM: error:")
                    || s.startsWith("Errors during downloading");
            if (error || explaining && (s.startsWith("Problem") || s.startsWith("- ") || s.startsWith("Curl error")
                    || s.startsWith("Status code"))) {
                errors.add(s);
                explaining = true;
            } else if (!s.isEmpty()) {
                explaining = false;
            }
        }
        if (!errors.isEmpty()) {
            return String.join(" ", errors);
        }
        String[] lines = all.strip().split("\n");
        return String.join(" ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length)).strip();
    }

    static boolean lockHeld(String output) {
        return output.contains("Waiting for process with pid") || output.contains("transaction lock")
                || output.contains("Another app is currently holding the yum lock");
    }
}
