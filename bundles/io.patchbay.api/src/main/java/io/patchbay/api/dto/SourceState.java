package io.patchbay.api.dto;

import java.util.List;
import java.util.Optional;

/**
 * Whether an update source takes new jobs ({@link SourceDTO#state}).
 * <p>
 * DTO fields keep the spelling of {@link #value()}, as JSON does; {@link #from(String)} reads it back.
 */
public enum SourceState {
    /** It takes jobs. */
    ACTIVE("ACTIVE"),
    /** It is being drained for maintenance: new jobs wait, running ones finish. */
    DRAINING("DRAINING"),
    /** Another service with the same id and a higher ranking is in use. */
    STANDBY("STANDBY");

    private final String value;

    SourceState(String value) {
        this.value = value;
    }

    /** The spelling in JSON, in the store and in DTO fields. */
    public String value() {
        return value;
    }

    /**
     * The source state spelled {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the allowed values, when it is none of them
     */
    public static SourceState from(String value) {
        return Vocabulary.from(SourceState.class, SourceState::value, "source state", value);
    }

    /** The value spelled {@code value}, or empty when it is none: for readers that fall back to a default. */
    public static Optional<SourceState> find(String value) {
        return Vocabulary.find(SourceState.class, SourceState::value, value);
    }

    /** Every allowed spelling, in declaration order. */
    public static List<String> allowed() {
        return Vocabulary.allowed(SourceState.class, SourceState::value);
    }

    @Override
    public String toString() {
        return value;
    }
}
