package io.patchbay.api.dto;

import java.time.Instant;
import java.util.List;

/** One update that a source can apply to a device: a package upgrade, a KB, an application release. */
public class UpdateDTO {
    /** Identifier of the update, unique within its source, e.g. a package name with architecture, or a KB number. */
    public String id;
    /** Type of the source that found it, e.g. {@code apt}. */
    public String sourceType;
    /** Instance id of the source that found it. */
    public String sourceId;
    /** Human-readable title. */
    public String title;
    /** Package or product name. */
    public String name;
    /** Microsoft knowledge-base number, for Windows updates. */
    public String kb;
    /** Version installed now; null when the update installs something new. */
    public String installedVersion;
    /** Version the update installs. */
    public String version;
    /** A {@link Classification} value, e.g. {@code security}, {@code bugfix}, {@code update}, {@code application}. */
    public String classification;
    /** A {@link Severity} value: {@code critical}, {@code important}, {@code moderate}, {@code low}, ... */
    public String severity;
    /** Where the update comes from, e.g. an archive and suite, or a catalog. */
    public String origin;
    /** Advisory identifier, e.g. {@code RHSA-2024:1234} or {@code DSA-5678-1}. */
    public String advisory;
    public List<String> cves;
    public boolean rebootRequired;
    public Instant releasedAt;
    public String description;
    /** Set by the core: the id of the block rule that matches this update, or null. */
    public String blockedBy;
}
