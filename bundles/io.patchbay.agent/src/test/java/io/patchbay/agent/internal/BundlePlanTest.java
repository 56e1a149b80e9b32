package io.patchbay.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.patchbay.api.agent.SourceBundleDTO;

class BundlePlanTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    static SourceBundleDTO offered(String bsn, String version, String sha) {
        SourceBundleDTO d = new SourceBundleDTO();
        d.symbolicName = bsn;
        d.version = version;
        d.sha256 = sha;
        return d;
    }

    static Map<String, BundlePlan.Kind> kinds(BundlePlan plan) {
        return plan.steps.stream().collect(Collectors.toMap(s -> s.offered() != null ? s.offered().symbolicName
                : s.installed().symbolicName(), BundlePlan.Step::kind));
    }

    @Test
    void theServersListDecidesWhatIsInstalledUpdatedKeptAndRemoved() {
        List<BundlePlan.Installed> installed = List.of(
                new BundlePlan.Installed(10, "apt", "1.0.0", A),
                new BundlePlan.Installed(11, "dnf", "1.0.0", A),
                new BundlePlan.Installed(12, "catalog", "1.0.0", A),
                new BundlePlan.Installed(13, "old", "1.0.0", A),
                new BundlePlan.Installed(14, "builtin", "1.0.0", null));
        BundlePlan plan = BundlePlan.of(installed, List.of(offered("apt", "1.0.0", A), offered("dnf", "1.1.0", B),
                offered("catalog", "1.0.0", B), offered("new", "2.0.0", B), offered("builtin", "1.0.0", A)));
        assertEquals(Map.of("apt", BundlePlan.Kind.KEEP, "dnf", BundlePlan.Kind.UPDATE, "catalog",
                BundlePlan.Kind.UPDATE, "new", BundlePlan.Kind.INSTALL, "old", BundlePlan.Kind.REMOVE, "builtin",
                BundlePlan.Kind.CHECK), kinds(plan));
        assertTrue(plan.changes());
        assertTrue(plan.problems.isEmpty());
    }

    @Test
    void theSameListChangesNothing() {
        BundlePlan plan = BundlePlan.of(List.of(new BundlePlan.Installed(10, "apt", "1.0.0", A)),
                List.of(offered("apt", "1.0.0", A.toUpperCase())));
        assertFalse(plan.changes());
    }

    @Test
    void anEmptyListRemovesEverySource() {
        BundlePlan plan = BundlePlan.of(List.of(new BundlePlan.Installed(10, "apt", "1.0.0", A)), List.of());
        assertEquals(Map.of("apt", BundlePlan.Kind.REMOVE), kinds(plan));
    }

    @Test
    void anOfferWithoutAValidHashIsAProblemNotAnInstall() {
        BundlePlan plan = BundlePlan.of(List.of(), List.of(offered("x", "1.0.0", "abc"), offered("y", null, A),
                offered("z", "1.0.0", A), offered("z", "1.0.1", B)));
        assertEquals(Map.of("z", BundlePlan.Kind.INSTALL), kinds(plan));
        assertEquals(3, plan.problems.size());
        assertEquals("x", plan.problems.get(0).symbolicName);
    }
}
