package io.patchbay.api.dto;

import java.util.List;
import java.util.Optional;

/**
 * Which updates a policy selects ({@link PolicyDTO#type}).
 * <p>
 * DTO fields keep the spelling of {@link #value()}, as JSON does; {@link #from(String)} reads it back.
 */
public enum PolicyType {
    /** Every update. */
    PATCH_ALL("patch-all"),
    /** Every update but those its exclusions name. */
    PATCH_ALL_EXCEPT("patch-all-except"),
    /** Only the updates its inclusions name. */
    PATCH_ONLY("patch-only"),
    /** The updates its filters let through: sources, severities, classifications, name pattern, age. */
    ADVANCED("advanced");

    private final String value;

    PolicyType(String value) {
        this.value = value;
    }

    /** The spelling in JSON, in the store and in DTO fields. */
    public String value() {
        return value;
    }

    /**
     * The policy type spelled {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the allowed values, when it is none of them
     */
    public static PolicyType from(String value) {
        return Vocabulary.from(PolicyType.class, PolicyType::value, "policy type", value);
    }

    /** The value spelled {@code value}, or empty when it is none: for readers that fall back to a default. */
    public static Optional<PolicyType> find(String value) {
        return Vocabulary.find(PolicyType.class, PolicyType::value, value);
    }

    /** Every allowed spelling, in declaration order. */
    public static List<String> allowed() {
        return Vocabulary.allowed(PolicyType.class, PolicyType::value);
    }

    @Override
    public String toString() {
        return value;
    }
}
