package io.patchbay.api.dto;

import java.util.List;
import java.util.Optional;

/**
 * How urgent an update is ({@link UpdateDTO#severity}, {@link PolicyDTO#severities}), as advisories rate it.
 * <p>
 * DTO fields keep the spelling of {@link #value()}, as JSON does; {@link #from(String)} reads it back.
 */
public enum Severity {
    /** Critical. */
    CRITICAL("critical"),
    /** Important. */
    IMPORTANT("important"),
    /** Moderate. */
    MODERATE("moderate"),
    /** Low. */
    LOW("low"),
    /** No rating: the source publishes none (Debian's archives, most application catalogs). */
    UNSPECIFIED("unspecified");

    private final String value;

    Severity(String value) {
        this.value = value;
    }

    /** The spelling in JSON, in the store and in DTO fields. */
    public String value() {
        return value;
    }

    /**
     * The severity spelled {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the allowed values, when it is none of them
     */
    public static Severity from(String value) {
        return Vocabulary.from(Severity.class, Severity::value, "severity", value);
    }

    /** The value spelled {@code value}, or empty when it is none: for readers that fall back to a default. */
    public static Optional<Severity> find(String value) {
        return Vocabulary.find(Severity.class, Severity::value, value);
    }

    /** Every allowed spelling, in declaration order. */
    public static List<String> allowed() {
        return Vocabulary.allowed(Severity.class, Severity::value);
    }

    @Override
    public String toString() {
        return value;
    }
}
