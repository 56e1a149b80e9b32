package io.patchbay.api.dto;

import java.util.List;
import java.util.Optional;

/**
 * What kind of change an update is ({@link UpdateDTO#classification}, {@link PolicyDTO#classifications}).
 * <p>
 * DTO fields keep the spelling of {@link #value()}, as JSON does; {@link #from(String)} reads it back.
 */
public enum Classification {
    /** Fixes a vulnerability (a security archive, a security advisory, a Windows security update). */
    SECURITY("security"),
    /** A Windows critical update: a fix for a critical bug that is not a vulnerability. */
    CRITICAL("critical"),
    /** A bug-fix advisory. */
    BUGFIX("bugfix"),
    /** An enhancement advisory. */
    ENHANCEMENT("enhancement"),
    /** A package new to the repository (an rpm newpackage advisory). */
    NEW_PACKAGE("newpackage"),
    /** A newer version with no advisory or classification of its own. */
    UPDATE("update"),
    /** A Windows update rollup. */
    UPDATE_ROLLUP("update-rollup"),
    /** A Windows service pack. */
    SERVICE_PACK("service-pack"),
    /** A Windows feature pack. */
    FEATURE_PACK("feature-pack"),
    /** A Windows feature upgrade (a new Windows release). */
    UPGRADE("upgrade"),
    /** A definition update (antivirus signatures). */
    DEFINITION("definition"),
    /** A driver. */
    DRIVER("driver"),
    /** A Windows tool. */
    TOOL("tool"),
    /** A new release of a third-party application from a catalog. */
    APPLICATION("application");

    private final String value;

    Classification(String value) {
        this.value = value;
    }

    /** The spelling in JSON, in the store and in DTO fields. */
    public String value() {
        return value;
    }

    /**
     * The classification spelled {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the allowed values, when it is none of them
     */
    public static Classification from(String value) {
        return Vocabulary.from(Classification.class, Classification::value, "classification", value);
    }

    /** The value spelled {@code value}, or empty when it is none: for readers that fall back to a default. */
    public static Optional<Classification> find(String value) {
        return Vocabulary.find(Classification.class, Classification::value, value);
    }

    /** Every allowed spelling, in declaration order. */
    public static List<String> allowed() {
        return Vocabulary.allowed(Classification.class, Classification::value);
    }

    @Override
    public String toString() {
        return value;
    }
}
