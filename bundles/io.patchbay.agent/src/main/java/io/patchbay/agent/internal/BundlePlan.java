package io.patchbay.agent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.patchbay.api.agent.BundleProblemDTO;
import io.patchbay.api.agent.SourceBundleDTO;

/**
 * What to do so that the source bundles the agent runs are exactly the ones the server offers: a pure decision, from
 * the source bundles installed (with the SHA-256 recorded when the agent installed or checked them) and the check-in
 * reply's list.
 */
final class BundlePlan {
    /** A source bundle installed in the agent's framework. */
    record Installed(long bundleId, String symbolicName, String version, String sha256) {
    }

    enum Kind {
        /** Same version and SHA-256: nothing to do. */
        KEEP,
        /** Not installed: download, verify, install and start. */
        INSTALL,
        /** Another version or SHA-256: download, verify, update in place. */
        UPDATE,
        /** Same version, SHA-256 not known here (built into the agent jar): download and compare; update if it differs. */
        CHECK,
        /** Not offered any more: uninstall. */
        REMOVE
    }

    record Step(Kind kind, SourceBundleDTO offered, Installed installed) {
    }

    final List<Step> steps;
    final List<BundleProblemDTO> problems;

    private BundlePlan(List<Step> steps, List<BundleProblemDTO> problems) {
        this.steps = List.copyOf(steps);
        this.problems = List.copyOf(problems);
    }

    boolean changes() {
        return steps.stream().anyMatch(s -> s.kind != Kind.KEEP);
    }

    static BundlePlan of(List<Installed> installed, List<SourceBundleDTO> offered) {
        Map<String, Installed> byName = new HashMap<>();
        for (Installed i : installed) {
            byName.put(i.symbolicName(), i);
        }
        List<Step> steps = new ArrayList<>();
        List<BundleProblemDTO> problems = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (SourceBundleDTO o : offered == null ? List.<SourceBundleDTO>of() : offered) {
            if (o == null || blank(o.symbolicName) || blank(o.version) || o.sha256 == null
                    || !o.sha256.matches("[0-9a-fA-F]{64}")) {
                problems.add(problem(o, "the server offered it without a symbolic name, version or valid SHA-256"));
                continue;
            }
            if (!wanted.add(o.symbolicName)) {
                problems.add(problem(o, "the server offered " + o.symbolicName + " more than once; the first is kept"));
                continue;
            }
            Installed i = byName.get(o.symbolicName);
            Kind kind;
            if (i == null) {
                kind = Kind.INSTALL;
            } else if (!i.version().equals(o.version)) {
                kind = Kind.UPDATE;
            } else if (i.sha256() == null) {
                kind = Kind.CHECK;
            } else {
                kind = i.sha256().equalsIgnoreCase(o.sha256) ? Kind.KEEP : Kind.UPDATE;
            }
            steps.add(new Step(kind, o, i));
        }
        for (Installed i : installed) {
            if (!wanted.contains(i.symbolicName())) {
                steps.add(new Step(Kind.REMOVE, null, i));
            }
        }
        return new BundlePlan(steps, problems);
    }

    static BundleProblemDTO problem(SourceBundleDTO o, String reason) {
        BundleProblemDTO p = new BundleProblemDTO();
        p.symbolicName = o == null ? null : o.symbolicName;
        p.version = o == null ? null : o.version;
        p.reason = reason;
        return p;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
