package io.patchbay.rest.internal;

import java.util.List;
import java.util.Set;

import io.patchbay.api.security.CallerDTO;
import io.patchbay.api.security.Role;

/**
 * Which callers may use an API path: one table for the whole API, by the path's segments after {@code /api/v1}.
 * A path no rule names is refused to everyone, so an endpoint added without a rule cannot be used until it has one.
 */
record AccessRule(Role role, String deviceId, String why) {
    /** Paths everyone with a role may read. */
    static final Set<String> READABLE = Set.of("openapi.json", "health", "devices", "groups", "policies", "runs",
            "updates", "results", "reports", "audit", "sources", "jobs", "blocklist", "catalogs");
    /** Paths operators change. */
    static final Set<String> OPERATED = Set.of("devices", "groups", "policies", "runs", "updates", "jobs",
            "blocklist");
    static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    static AccessRule of(String method, List<String> segments) {
        if (segments.isEmpty()) {
            return READS.contains(method) ? new AccessRule(Role.READ_ONLY, null, null) : none(method, segments);
        }
        String first = segments.get(0);
        if (first.equals("enrollment-tokens")) {
            // operators see which tokens are used up; only admins create and revoke them
            return new AccessRule(READS.contains(method) ? Role.OPERATOR : Role.ADMIN, null, null);
        }
        if (first.equals("agent")) {
            // an agent's own endpoints: /agent/devices/{deviceId}/...
            return segments.size() >= 3 && segments.get(1).equals("devices")
                    ? new AccessRule(Role.DEVICE, segments.get(2), null) : none(method, segments);
        }
        if (first.equals("tokens") || first.equals("plugins")
                || first.equals("devices") && segments.size() >= 3 && segments.get(2).equals("credentials")) {
            return new AccessRule(Role.ADMIN, null, null);
        }
        if (READS.contains(method) && READABLE.contains(first)) {
            return new AccessRule(Role.READ_ONLY, null, null);
        }
        if (OPERATED.contains(first)) {
            return new AccessRule(Role.OPERATOR, null, null);
        }
        if (first.equals("sources")) {
            return new AccessRule(Role.ADMIN, null, null);
        }
        return none(method, segments);
    }

    /** Admins only: an unknown path is their 404, and an endpoint added without a rule reaches no one else. */
    private static AccessRule none(String method, List<String> segments) {
        return new AccessRule(Role.ADMIN, null, method + " /" + String.join("/", segments)
                + " has no access rule, so only admins may use it");
    }

    /** Why the caller may not do this, or null when it may. */
    String refusal(CallerDTO caller) {
        if (role == Role.DEVICE) {
            if (caller.role != Role.DEVICE) {
                return "Only a device's agent, with its device secret, may use /agent/devices/" + deviceId;
            }
            return deviceId.equals(caller.deviceId) ? null
                    : "This device secret is not one of device '" + deviceId + "'";
        }
        if (caller.role == Role.DEVICE) {
            return "A device secret reaches only its device's /agent/devices/" + caller.deviceId + "/ endpoints";
        }
        if (caller.role.includes(role)) {
            return null;
        }
        return why != null ? why : "This needs the role " + role + " or higher; '" + caller.name + "' has "
                + caller.role;
    }
}
