package io.patchbay.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.ComplianceDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultRowDTO;
import io.patchbay.api.dto.UpdateSummaryDTO;

/** What scans found and what jobs did, across devices. */
@ProviderType
public interface UpdateIndex {
    /** Updates known from the latest scans, by source, update and OS family, with the devices missing each. */
    PageDTO<UpdateSummaryDTO> updates(String cursor, int limit);

    /** Ids of the devices whose latest scan of the source found the update. */
    List<String> impactedDevices(String sourceId, String updateId);

    /**
     * The devices whose latest scan of the source found the update, and that the block list does not forbid it now,
     * each with the update as its scan found it (the version to install).
     */
    Map<String, UpdateDTO> missingOn(String sourceId, String updateId);

    /** Per-update outcomes, newest first, filtered by any of run name (part), update id or KB, device, title (part). */
    PageDTO<UpdateResultRowDTO> results(String runName, String update, String deviceId, String title, String cursor,
            int limit);

    /** Compliance per group and overall. */
    ComplianceDTO compliance();
}
