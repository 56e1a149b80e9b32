package io.patchbay.api.catalog;

import java.time.Instant;
import java.util.List;

/** One version of an application and its installers. */
public class ReleaseDTO {
    public String version;
    public Instant releasedAt;
    /** Where the release notes are, for operators. */
    public String notesUrl;
    public List<InstallerDTO> installers;
}
