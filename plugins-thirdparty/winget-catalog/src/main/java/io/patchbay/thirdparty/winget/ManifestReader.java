package io.patchbay.thirdparty.winget;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import io.patchbay.api.catalog.AppDTO;
import io.patchbay.api.catalog.DetectionDTO;
import io.patchbay.api.catalog.InstallerDTO;
import io.patchbay.api.catalog.ReleaseDTO;
import io.patchbay.api.source.PackageNames;
import io.patchbay.api.version.VersionSchemes;

/**
 * Reads winget manifests (the YAML format of the winget package repository, schema 1.x): singleton manifests and
 * multi-file manifests (version, defaultLocale, locale and installer files of one package version, merged). A file
 * that cannot be read is skipped with a warning naming it; the others still load.
 */
public final class ManifestReader {

    /** What was read: the applications, and one warning per file that was skipped. */
    public record Result(List<AppDTO> apps, List<String> warnings) {
    }

    private static final Set<String> TYPES = Set.of("singleton", "version", "defaultlocale", "locale", "installer");

    private ManifestReader() {
    }

    /**
     * A safe YAML loader that leaves numbers with a fraction as text: a version such as {@code 1.10} must not turn
     * into the number 1.1.
     */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new Resolver() {
                    @Override
                    protected void addImplicitResolvers() {
                        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
                        addImplicitResolver(Tag.INT, INT, "-+0123456789");
                        addImplicitResolver(Tag.MERGE, MERGE, "<");
                        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
                        addImplicitResolver(Tag.NULL, EMPTY, null);
                    }
                });
    }

    public static Result read(Path folder) throws IOException {
        List<String> warnings = new ArrayList<>();
        // package identifier -> version -> merged manifest fields
        Map<String, Map<String, Map<String, Object>>> packages = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Map<String, Path>> firstFile = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
        }
        for (Path file : files) {
            String where = folder.relativize(file).toString();
            Map<String, Object> doc;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Object loaded = yaml().load(in);
                if (!(loaded instanceof Map<?, ?> map)) {
                    warnings.add(where + ": not a YAML mapping; skipped");
                    continue;
                }
                doc = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    doc.put(String.valueOf(e.getKey()), e.getValue());
                }
            } catch (RuntimeException e) {
                warnings.add(where + ": not valid YAML (" + firstLine(e.getMessage()) + "); skipped");
                continue;
            }
            String id = string(doc, "PackageIdentifier");
            String version = string(doc, "PackageVersion");
            String type = string(doc, "ManifestType");
            if (id == null || version == null || type == null) {
                warnings.add(where + ": PackageIdentifier, PackageVersion and ManifestType are required; skipped");
                continue;
            }
            if (!PackageNames.isWingetId(id)) {
                warnings.add(where + ": PackageIdentifier '" + id + "' is not a winget package identifier "
                        + "(Publisher.Package); skipped");
                continue;
            }
            if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
                warnings.add(where + ": unknown ManifestType '" + type + "'; skipped");
                continue;
            }
            if (type.equalsIgnoreCase("locale")) {
                continue; // translations of the default locale: nothing a catalog needs
            }
            Map<String, Object> merged = packages.computeIfAbsent(id, k -> new TreeMap<>()).computeIfAbsent(version,
                    k -> new LinkedHashMap<>());
            doc.forEach(merged::putIfAbsent);
            firstFile.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent(version, file);
        }
        List<AppDTO> apps = new ArrayList<>();
        for (var pkg : packages.entrySet()) {
            try {
                AppDTO app = app(pkg.getKey(), pkg.getValue(), warnings);
                if (app != null) {
                    apps.add(app);
                }
            } catch (RuntimeException e) {
                warnings.add(pkg.getKey() + ": " + e.getMessage() + "; skipped");
            }
        }
        return new Result(apps, warnings);
    }

    private static AppDTO app(String id, Map<String, Map<String, Object>> versions, List<String> warnings) {
        List<ReleaseDTO> releases = new ArrayList<>();
        Set<String> productCodes = new LinkedHashSet<>();
        Map<String, Object> newest = null;
        for (var v : versions.entrySet()) {
            Map<String, Object> m = v.getValue();
            List<InstallerDTO> installers = installers(id, v.getKey(), m, productCodes, warnings);
            if (installers.isEmpty()) {
                continue;
            }
            ReleaseDTO r = new ReleaseDTO();
            r.version = v.getKey();
            r.notesUrl = string(m, "ReleaseNotesUrl");
            r.installers = installers;
            releases.add(r);
            newest = m;
        }
        if (releases.isEmpty()) {
            warnings.add(id + ": no version has an installer; skipped");
            return null;
        }
        // winget's own ordering takes any version string, so no version can make a package disappear
        String scheme = VersionSchemes.WINGET;
        releases.sort(Comparator.comparing(r -> r.version, VersionSchemes.get(scheme)));
        Map<String, Object> latest = versions.get(releases.get(releases.size() - 1).version);
        AppDTO app = new AppDTO();
        app.id = id;
        app.name = string(latest, "PackageName") != null ? string(latest, "PackageName") : id;
        app.publisher = string(latest, "Publisher");
        app.versionScheme = scheme;
        app.releases = releases;
        app.detection = detection(app, latest, productCodes);
        return app;
    }

    /** Apps and Features entries of the manifest first, then any known product code, then the package's name. */
    private static List<DetectionDTO> detection(AppDTO app, Map<String, Object> latest, Set<String> productCodes) {
        List<DetectionDTO> rules = new ArrayList<>();
        for (Map<String, Object> entry : maps(latest.get("AppsAndFeaturesEntries"))) {
            if (string(entry, "DisplayName") != null) {
                rules.add(windows(string(entry, "DisplayName"), string(entry, "Publisher"), null));
            }
            if (string(entry, "ProductCode") != null) {
                productCodes.add(string(entry, "ProductCode"));
            }
        }
        for (Map<String, Object> inst : maps(latest.get("Installers"))) {
            for (Map<String, Object> entry : maps(inst.get("AppsAndFeaturesEntries"))) {
                if (string(entry, "DisplayName") != null) {
                    rules.add(windows(string(entry, "DisplayName"), string(entry, "Publisher"), null));
                }
            }
        }
        productCodes.forEach(code -> rules.add(windows(null, null, code)));
        rules.add(windows(app.name + "*", app.publisher, null));
        return rules;
    }

    private static DetectionDTO windows(String displayName, String publisher, String productCode) {
        DetectionDTO d = new DetectionDTO();
        d.kind = DetectionDTO.WINDOWS_UNINSTALL;
        d.displayName = displayName;
        d.publisher = publisher;
        d.productCode = productCode;
        return d;
    }

    private static List<InstallerDTO> installers(String id, String version, Map<String, Object> m,
            Set<String> productCodes, List<String> warnings) {
        List<InstallerDTO> out = new ArrayList<>();
        List<Map<String, Object>> list = maps(m.get("Installers"));
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> inst = new LinkedHashMap<>(m);
            inst.remove("Installers");
            inst.putAll(list.get(i)); // installer-level fields override the manifest's defaults
            // switches merge key by key, as winget merges them: an installer's Custom keeps the root's Silent
            Map<String, Object> switches = new LinkedHashMap<>(map(m.get("InstallerSwitches")));
            switches.putAll(map(list.get(i).get("InstallerSwitches")));
            String url = string(inst, "InstallerUrl");
            String sha = string(inst, "InstallerSha256");
            String wingetType = string(inst, "InstallerType");
            String nestedType = "zip".equalsIgnoreCase(wingetType) ? string(inst, "NestedInstallerType") : null;
            if (nestedType != null && "portable".equalsIgnoreCase(nestedType)) {
                nestedType = null; // portable files in a zip: unpacked as they are
            }
            String nestedFile = null;
            if (nestedType != null) {
                String nested = type(nestedType);
                List<Map<String, Object>> files = maps(inst.get("NestedInstallerFiles"));
                nestedFile = files.isEmpty() ? null : string(files.get(0), "RelativeFilePath");
                if (!InstallerDTO.EXE.equals(nested) && !InstallerDTO.MSI.equals(nested) || nestedFile == null) {
                    warnings.add(id + " " + version + " installer " + (i + 1) + ": zip with a nested " + nestedType
                            + " installer" + (nestedFile == null ? " and no NestedInstallerFiles" : "")
                            + " is not supported; left out");
                    continue;
                }
            }
            String type = type(wingetType);
            if (url == null || sha == null || type == null) {
                warnings.add(id + " " + version + " installer " + (i + 1) + ": needs InstallerUrl, InstallerSha256 "
                        + "and a known InstallerType (was " + wingetType + "); left out");
                continue;
            }
            InstallerDTO d = new InstallerDTO();
            d.platform = "windows";
            d.architecture = string(inst, "Architecture") == null ? "neutral"
                    : string(inst, "Architecture").toLowerCase(Locale.ROOT);
            d.url = url;
            d.sha256 = sha;
            d.type = type;
            d.scope = string(inst, "Scope");
            String silent = string(switches, "Silent");
            String custom = string(switches, "Custom");
            d.silentArgs = join(silent != null ? silent : defaultSilent(nestedType != null ? nestedType : wingetType),
                    custom);
            if (nestedType != null) {
                d.nestedInstallerType = type(nestedType);
                d.nestedInstallerFile = nestedFile;
            }
            d.successCodes = new ArrayList<>(List.of(0));
            for (Object code : list(inst.get("InstallerSuccessCodes"))) {
                if (code instanceof Number n) {
                    d.successCodes.add(n.intValue());
                }
            }
            d.rebootCodes = new ArrayList<>();
            for (Map<String, Object> rc : maps(inst.get("ExpectedReturnCodes"))) {
                String response = string(rc, "ReturnResponse");
                if (rc.get("InstallerReturnCode") instanceof Number n && response != null
                        && response.toLowerCase(Locale.ROOT).startsWith("reboot")) {
                    d.rebootCodes.add(n.intValue());
                }
            }
            if (string(inst, "ProductCode") != null) {
                productCodes.add(string(inst, "ProductCode"));
            }
            out.add(d);
        }
        return out;
    }

    /** Patchbay's installer type for a winget InstallerType. */
    static String type(String wingetType) {
        if (wingetType == null) {
            return null;
        }
        return switch (wingetType.toLowerCase(Locale.ROOT)) {
        case "msi", "wix" -> InstallerDTO.MSI;
        case "exe", "inno", "nullsoft", "burn" -> InstallerDTO.EXE;
        case "msix", "appx" -> InstallerDTO.MSIX;
        case "zip" -> InstallerDTO.ZIP;
        case "portable" -> InstallerDTO.PORTABLE;
        default -> null;
        };
    }

    /** The silent switches each installer technology documents, when the manifest gives none. */
    static String defaultSilent(String wingetType) {
        if (wingetType == null) {
            return null;
        }
        return switch (wingetType.toLowerCase(Locale.ROOT)) {
        case "inno" -> "/VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SP-";
        case "nullsoft" -> "/S";
        case "burn" -> "/quiet /norestart";
        default -> null;
        };
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static List<Map<String, Object>> maps(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object e : list(o)) {
            if (e instanceof Map<?, ?>) {
                out.add(map(e));
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
