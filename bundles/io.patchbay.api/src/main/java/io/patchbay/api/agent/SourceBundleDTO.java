package io.patchbay.api.agent;

import java.util.List;

/**
 * A source bundle the server offers agents of a platform (from its built-in sources, the plugins folder or an upload),
 * or one an agent runs. The agent downloads it from
 * {@code GET /api/v1/agent/devices/{deviceId}/bundles/{symbolicName}/{version}} and refuses it unless its SHA-256 is
 * this one.
 */
public class SourceBundleDTO {
    public String symbolicName;
    public String version;
    /** Lower-case hex SHA-256 of the jar. */
    public String sha256;
    public long size;
    /** The source types it provides, e.g. {@code apt}. */
    public List<String> sourceTypes;
    /** The platforms it serves: {@code linux}, {@code windows}, {@code macos}. */
    public List<String> platforms;
}
