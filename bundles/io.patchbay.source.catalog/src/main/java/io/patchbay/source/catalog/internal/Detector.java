package io.patchbay.source.catalog.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.patchbay.api.BlockRules;
import io.patchbay.api.catalog.DetectionDTO;
import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;
import io.patchbay.api.source.Host;
import io.patchbay.api.source.PackageNames;

/**
 * Finds installed versions on a device by the catalog's detection rules, through its {@link Host} and the formats
 * each platform documents: {@code reg query} output of the Apps and Features (Uninstall) keys on Windows, the
 * {@code Info.plist} of application bundles on macOS, the dpkg or rpm database on Linux.
 */
final class Detector {
    static final List<String> UNINSTALL_KEYS = List.of(
            "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
            "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
            "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall");

    /** One Apps and Features entry: its key name (the product code for MSI installs) and its values. */
    record UninstallEntry(String key, Map<String, String> values) {
        String value(String name) {
            return values.get(name);
        }
    }

    private final Host host;
    private List<UninstallEntry> uninstall;

    Detector(Host host) {
        this.host = host;
    }

    /** The installed version by the first rule that finds one. */
    Optional<String> detect(List<DetectionDTO> rules, String platform) throws IOException, InterruptedException {
        for (DetectionDTO rule : rules == null ? List.<DetectionDTO>of() : rules) {
            Optional<String> v = switch (rule.kind == null ? "" : rule.kind) {
            case DetectionDTO.WINDOWS_UNINSTALL -> "windows".equals(platform) ? windows(rule) : Optional.empty();
            case DetectionDTO.MACOS_BUNDLE -> "macos".equals(platform) ? macos(rule) : Optional.empty();
            case DetectionDTO.LINUX_PACKAGE -> "linux".equals(platform) ? linux(rule) : Optional.empty();
            case DetectionDTO.FILE -> file(rule);
            default -> Optional.empty();
            };
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** Whether any rule applies to the platform at all. */
    static boolean applies(List<DetectionDTO> rules, String platform) {
        if (rules == null) {
            return false;
        }
        return rules.stream().anyMatch(r -> DetectionDTO.FILE.equals(r.kind)
                || DetectionDTO.WINDOWS_UNINSTALL.equals(r.kind) && "windows".equals(platform)
                || DetectionDTO.MACOS_BUNDLE.equals(r.kind) && "macos".equals(platform)
                || DetectionDTO.LINUX_PACKAGE.equals(r.kind) && "linux".equals(platform));
    }

    // ---- Windows ----

    private Optional<String> windows(DetectionDTO rule) throws IOException, InterruptedException {
        if (uninstall == null) {
            uninstall = new ArrayList<>();
            for (String key : UNINSTALL_KEYS) {
                CommandResult r = host.run(Command.of("reg", "query", key, "/s").timeout(Duration.ofMinutes(2)));
                if (r.exitCode() == 0) {
                    uninstall.addAll(parseRegQuery(r.stdout()));
                }
            }
        }
        Pattern name = rule.displayName == null ? null : BlockRules.glob(rule.displayName);
        for (UninstallEntry e : uninstall) {
            String version = e.value("DisplayVersion");
            if (version == null || version.isBlank()) {
                continue;
            }
            boolean byCode = rule.productCode != null && e.key().equalsIgnoreCase(rule.productCode);
            boolean byName = name != null && e.value("DisplayName") != null
                    && name.matcher(e.value("DisplayName")).matches()
                    && (rule.publisher == null || rule.publisher.equalsIgnoreCase(e.value("Publisher")));
            if (byCode || byName) {
                return Optional.of(version.strip());
            }
        }
        return Optional.empty();
    }

    /**
     * Parses {@code reg query KEY /s}: a line with the full key path starts an entry, indented lines are values as
     * {@code name    TYPE    data} separated by four spaces.
     */
    static List<UninstallEntry> parseRegQuery(String output) {
        List<UninstallEntry> out = new ArrayList<>();
        String key = null;
        Map<String, String> values = null;
        for (String raw : output.split("\r?\n")) {
            if (raw.startsWith("HKEY_")) {
                if (key != null && !values.isEmpty()) {
                    out.add(new UninstallEntry(key, values));
                }
                key = raw.substring(raw.lastIndexOf('\\') + 1).strip();
                values = new LinkedHashMap<>();
            } else if (key != null && raw.startsWith("    ")) {
                String[] parts = raw.strip().split(" {4}", 3);
                if (parts.length >= 2 && parts[1].startsWith("REG_")) {
                    values.put(parts[0], parts.length == 3 ? parts[2] : "");
                }
            }
        }
        if (key != null && !values.isEmpty()) {
            out.add(new UninstallEntry(key, values));
        }
        return out;
    }

    // ---- macOS ----

    private Optional<String> macos(DetectionDTO rule) throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (rule.bundlePath != null) {
            candidates.add(rule.bundlePath);
        } else {
            for (String app : host.list("/Applications")) {
                if (app.endsWith(".app")) {
                    candidates.add("/Applications/" + app);
                }
            }
        }
        for (String bundle : candidates) {
            Map<String, String> plist = infoPlist(bundle + "/Contents/Info.plist");
            if (rule.bundleId == null || rule.bundleId.equals(plist.get("CFBundleIdentifier"))) {
                String v = plist.get("CFBundleShortVersionString");
                if (v != null && !v.isBlank() && (rule.bundleId != null || rule.bundlePath != null)) {
                    return Optional.of(v.strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The string values of a property list's top dictionary; binary lists are converted with plutil first. */
    private Map<String, String> infoPlist(String path) throws IOException, InterruptedException {
        Optional<String> text = host.readFile(path);
        if (text.isEmpty()) {
            return Map.of();
        }
        String xml = text.get();
        if (xml.startsWith("bplist")) {
            CommandResult r = host.run(Command.of("plutil", "-convert", "xml1", "-o", "-", path)
                    .timeout(Duration.ofSeconds(30)));
            if (r.exitCode() != 0) {
                return Map.of();
            }
            xml = r.stdout();
        }
        return parsePlist(xml);
    }

    static Map<String, String> parsePlist(String xml) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            Document doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element dict = null;
            for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("dict")) {
                    dict = e;
                    break;
                }
            }
            if (dict == null) {
                return out;
            }
            String key = null;
            for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                if (e.getTagName().equals("key")) {
                    key = e.getTextContent();
                } else if (key != null) {
                    if (e.getTagName().equals("string")) {
                        out.put(key, e.getTextContent());
                    }
                    key = null;
                }
            }
        } catch (Exception e) {
            // not a property list: nothing detected from it
        }
        return out;
    }

    // ---- Linux and files ----

    private Optional<String> linux(DetectionDTO rule) throws IOException, InterruptedException {
        if (rule.packageName == null) {
            return Optional.empty();
        }
        boolean rooted = !"/".equals(host.root());
        List<String> dpkg = new ArrayList<>(List.of("dpkg-query"));
        if (rooted) {
            dpkg.add("--admindir=" + host.root() + "/var/lib/dpkg");
        }
        dpkg.addAll(List.of("-W", "-f", "${Version}\\t${db:Status-Abbrev}", "--", rule.packageName));
        // a catalog's package name outside the ecosystem's grammar is never handed to its tool
        if (PackageNames.isDebianName(rule.packageName)) {
            try {
                CommandResult r = host.run(Command.of(dpkg).timeout(Duration.ofSeconds(30)));
                String[] f = r.stdout().strip().split("\t");
                if (r.exitCode() == 0 && f.length == 2 && f[1].startsWith("ii")) {
                    return Optional.of(f[0]);
                }
            } catch (IOException e) {
                // no dpkg on this device
            }
        }
        if (!PackageNames.isRpmName(rule.packageName)) {
            return Optional.empty();
        }
        List<String> rpm = new ArrayList<>(List.of("rpm"));
        if (rooted) {
            rpm.add("--root=" + host.root());
        }
        rpm.addAll(List.of("-q", "--qf", "%{VERSION}-%{RELEASE}", "--", rule.packageName));
        try {
            CommandResult r = host.run(Command.of(rpm).timeout(Duration.ofSeconds(30)));
            if (r.exitCode() == 0 && !r.stdout().isBlank()) {
                return Optional.of(r.stdout().strip());
            }
        } catch (IOException e) {
            // no rpm on this device
        }
        return Optional.empty();
    }

    private Optional<String> file(DetectionDTO rule) throws IOException {
        if (rule.path == null) {
            return Optional.empty();
        }
        Optional<String> text = host.readFile(rule.path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (rule.versionPattern == null) {
            String v = text.get().strip();
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }
        Matcher m = Pattern.compile(rule.versionPattern).matcher(text.get());
        return m.find() ? Optional.ofNullable(m.groupCount() >= 1 ? m.group(1) : m.group()) : Optional.empty();
    }

    static String platformOf(String osFamily) {
        return osFamily == null ? "linux" : osFamily.toLowerCase(Locale.ROOT);
    }
}
