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
    /** {@code critical}, {@code important}, {@code moderate}, {@code low}; null when the catalog does not rate it. */
    public String severity;
    /** Releases, in any order; the newest one by the version scheme is offered as the update. */
    public List<ReleaseDTO> releases;
    /** How to find the installed version on a device; the first rule for the device's platform that finds it wins. */
    public List<DetectionDTO> detection;
}
