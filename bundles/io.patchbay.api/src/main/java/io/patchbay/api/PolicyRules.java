package io.patchbay.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.UpdateDTO;

/** Which updates a policy selects; shared by manual runs and schedules. */
public final class PolicyRules {
    private PolicyRules() {
    }

    public static boolean selects(PolicyDTO policy, UpdateDTO u, Instant now) {
        return switch (policy.type) {
        case "patch-all" -> true;
        case "patch-all-except" -> !matchesAny(policy.exclusions, u);
        case "patch-only" -> matchesAny(policy.inclusions, u);
        case "advanced" -> advanced(policy, u, now);
        default -> false;
        };
    }

    private static boolean advanced(PolicyDTO p, UpdateDTO u, Instant now) {
        if (!empty(p.sources) && !(p.sources.contains(u.sourceType) || p.sources.contains(u.sourceId))) {
            return false;
        }
        String severity = u.severity == null ? "unspecified" : u.severity.toLowerCase(Locale.ROOT);
        if (!empty(p.severities) && !p.severities.contains(severity)) {
            return false;
        }
        if (!empty(p.classifications) && (u.classification == null
                || p.classifications.stream().noneMatch(c -> c.equalsIgnoreCase(u.classification)))) {
            return false;
        }
        if (p.namePattern != null && !matches(p.namePattern, u)) {
            return false;
        }
        if (p.minAgeDays != null && p.minAgeDays > 0) {
            return u.releasedAt != null && !u.releasedAt.isAfter(now.minus(Duration.ofDays(p.minAgeDays)));
        }
        return true;
    }

    private static boolean matchesAny(List<String> patterns, UpdateDTO u) {
        return patterns != null && patterns.stream().anyMatch(p -> matches(p, u));
    }

    /** A pattern with {@code *} and {@code ?} against the update's id, KB, name and title. */
    static boolean matches(String pattern, UpdateDTO u) {
        var glob = BlockRules.glob(pattern);
        for (String s : new String[] { u.id, u.kb, u.name, u.title }) {
            if (s != null && glob.matcher(s).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean empty(List<String> l) {
        return l == null || l.isEmpty();
    }
}
