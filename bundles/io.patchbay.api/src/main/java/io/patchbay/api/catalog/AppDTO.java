package io.patchbay.api.catalog;

import java.util.List;

/** One application of a catalog. */
public class AppDTO {
    /** Identifier, unique within the catalog, e.g. {@code Mozilla.Firefox}. */
    public String id;
    public String name;
    public String publisher;
    /**
     * How the versions of this application order: a name of {@link io.patchbay.api.version.VersionSchemes}, e.g.
     * {@code windows} for dotted numbers or {@code semver}.
     */
    public String versionScheme;
    /**
     * A {@link io.patchbay.api.dto.Severity} value ({@code critical}, {@code important}, ...); null, or any other
     * value, reads as not rated ({@code unspecified}).
     */
    public String severity;
    /** Releases, in any order; the newest one by the version scheme is offered as the update. */
    public List<ReleaseDTO> releases;
    /** How to find the installed version on a device; the first rule for the device's platform that finds it wins. */
    public List<DetectionDTO> detection;
}
