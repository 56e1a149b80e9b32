package io.patchbay.api.version;

import java.util.Comparator;

import org.osgi.annotation.versioning.ProviderType;

/** How one ecosystem orders its version strings. Implementations are stateless and thread-safe. */
@ProviderType
public interface VersionScheme extends Comparator<String> {

    /** The scheme's name, e.g. {@code deb}. */
    String name();

    /**
     * Negative, zero or positive as {@code a} is older than, the same as, or newer than {@code b}.
     *
     * @throws InvalidVersionException when either version is malformed for this scheme
     */
    @Override
    int compare(String a, String b);

    /**
     * Checks that a version is well formed.
     *
     * @throws InvalidVersionException naming the version and what is wrong with it
     */
    void validate(String version);

    /** True when the version is well formed. */
    default boolean isValid(String version) {
        try {
            validate(version);
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }
}
