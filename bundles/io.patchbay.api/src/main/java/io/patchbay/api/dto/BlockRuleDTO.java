package io.patchbay.api.dto;

import java.time.Instant;

/**
 * A rule that forbids installing matching updates. Every criterion that is set must match; at least one must be
 * set.
 */
public class BlockRuleDTO {
    public String id;
    /** Source type the rule applies to, or null for every source. */
    public String sourceType;
    /** Exact update id or KB number, or null. */
    public String updateId;
    /** Name or title pattern with {@code *} and {@code ?} wildcards, case-insensitive, or null. */
    public String namePattern;
    /**
     * Versions the rule applies to, in interval notation: {@code [1.0,2.0)}, {@code [3.0.7-25.el9,)}, {@code (,5.0]};
     * or null for every version. Compared by {@link #versionScheme}.
     */
    public String versionRange;
    /** How versions of the range compare: {@code deb}, {@code rpm}, {@code semver}, {@code windows}, {@code macos}. */
    public String versionScheme;
    public String reason;
    public String createdBy;
    public Instant createdAt;
}
