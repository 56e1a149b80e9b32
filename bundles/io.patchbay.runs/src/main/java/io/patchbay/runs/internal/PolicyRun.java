package io.patchbay.runs.internal;

import java.time.Instant;
import java.util.List;

/**
 * A run of a policy as a scheduler starts it: over these devices (null: every device in a group with the policy),
 * with these sources (null or empty: every present one that serves each device), from {@code at} until
 * {@code deadline}.
 */
record PolicyRun(String name, String policyId, List<String> deviceIds, List<String> sourceIds, Instant at,
        Instant deadline) {
}
