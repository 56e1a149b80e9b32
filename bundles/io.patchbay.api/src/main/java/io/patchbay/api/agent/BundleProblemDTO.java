package io.patchbay.api.agent;

/** A source bundle the agent could not take: a hash that differs, a download that failed, a bundle that did not start. */
public class BundleProblemDTO {
    public String symbolicName;
    public String version;
    /** The SHA-256 the agent computed, when it got the bytes. */
    public String sha256;
    public String reason;
}
