package io.patchbay.runs.internal;

import static io.patchbay.runs.internal.Samples.T0;
import static io.patchbay.runs.internal.Samples.policy;
import static io.patchbay.runs.internal.Samples.update;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.PolicyRules;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.UpdateDTO;

/** Which updates each kind of policy selects for the install after a scan. */
class PolicyRulesTest {
    @Test
    void patchAllSelectsEverything() {
        assertTrue(PolicyRules.selects(policy("patch-all"), update("openssl", null), T0));
    }

    @Test
    void exceptAndOnlyMatchIdKbNameOrTitleWithWildcards() {
        UpdateDTO cumulative = update("KB5034441", "critical");
        cumulative.kb = "KB5034441";
        cumulative.title = "2026-01 Cumulative Update for Windows 11";
        PolicyDTO except = policy("patch-all-except");
        except.exclusions = List.of("*Cumulative Update*");
        assertFalse(PolicyRules.selects(except, cumulative, T0));
        assertTrue(PolicyRules.selects(except, update("openssl", null), T0));
        PolicyDTO only = policy("patch-only");
        only.inclusions = List.of("KB50344??");
        assertTrue(PolicyRules.selects(only, cumulative, T0));
        assertFalse(PolicyRules.selects(only, update("openssl", null), T0));
        only.inclusions = null;
        assertFalse(PolicyRules.selects(only, cumulative, T0), "patch-only with nothing listed selects nothing");
    }

    @Test
    void advancedFiltersBySourceSeverityClassificationNameAndAge() {
        PolicyDTO p = policy("advanced");
        UpdateDTO u = update("openssl", "Critical");
        u.classification = "security";
        u.releasedAt = T0.minus(Duration.ofDays(10));
        assertTrue(PolicyRules.selects(p, u, T0), "no filter: everything");
        p.sources = List.of("dnf");
        assertFalse(PolicyRules.selects(p, u, T0));
        p.sources = List.of("apt");
        p.severities = List.of("critical");
        assertTrue(PolicyRules.selects(p, u, T0), "severity compared without case");
        p.classifications = List.of("SECURITY");
        assertTrue(PolicyRules.selects(p, u, T0));
        p.namePattern = "open*";
        assertTrue(PolicyRules.selects(p, u, T0));
        p.minAgeDays = 14;
        assertFalse(PolicyRules.selects(p, u, T0), "released 10 days ago, 14 asked");
        p.minAgeDays = 7;
        assertTrue(PolicyRules.selects(p, u, T0));
        u.releasedAt = null;
        assertFalse(PolicyRules.selects(p, u, T0), "an age is asked and the update has no release date");
        p.minAgeDays = null;
        UpdateDTO unrated = update("vim", null);
        unrated.classification = "security";
        p.namePattern = null;
        p.severities = List.of("unspecified");
        assertTrue(PolicyRules.selects(p, unrated, T0), "no severity reads as unspecified");
    }

    @Test
    void anUnknownPolicyTypeSelectsNothing() {
        assertFalse(PolicyRules.selects(policy("later-maybe"), update("openssl", null), T0));
    }
}
