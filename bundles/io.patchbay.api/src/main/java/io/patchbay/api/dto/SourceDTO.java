package io.patchbay.api.dto;

import java.util.List;

/** An update source as the registry sees it. */
public class SourceDTO {
    /** The stable instance id ({@code patchbay.source.id}). */
    public String id;
    /** The source type ({@code patchbay.source.type}), e.g. {@code apt}. */
    public String type;
    /** Platforms it serves: {@code windows}, {@code macos}, {@code linux}. */
    public List<String> platforms;
    /** Symbolic name of the bundle that provides it. */
    public String bundle;
    public String bundleVersion;
    /** A {@link SourceState} value: {@code ACTIVE}, {@code DRAINING}, {@code STANDBY} (behind a higher ranking). */
    public String state;
    public long serviceId;
    public int ranking;
    /** Jobs running on it now. */
    public int runningJobs;
}
