package io.patchbay.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.patchbay.api.BlockList;
import io.patchbay.api.BlockRules;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.UpdateDTO;

/** What each device's latest scan found missing, each update judged against the block list as it is when read. */
final class MissingUpdates {
    private final Database db;
    private final Supplier<BlockList> blockList;

    /** An update a device's latest scan found missing, and whether the block list forbids it now. */
    record Missing(String deviceId, String sourceId, String updateId, String osFamily, String severity,
            UpdateDTO update, boolean blocked) {
    }

    MissingUpdates(Database db, Supplier<BlockList> blockList) {
        this.db = db;
        this.blockList = blockList;
    }

    /** The devices missing an update that the block list does not forbid them now, with the update as found. */
    Map<String, UpdateDTO> impacted(String sourceId, String updateId) {
        Map<String, UpdateDTO> out = new TreeMap<>();
        for (Missing m : find(sourceId, updateId)) {
            if (!m.blocked()) {
                out.put(m.deviceId(), m.update());
            }
        }
        return out;
    }

    /**
     * What the latest scans found missing, of one update or of all ({@code null}s), ordered by source, update, OS
     * family and device.
     */
    List<Missing> find(String sourceId, String updateId) {
        List<BlockRuleDTO> rules = blockList.get().rules();
        // devices that miss the same update mostly share its body: parse and judge each body once
        Map<String, UpdateDTO> parsed = new HashMap<>();
        Map<String, Boolean> blocked = new HashMap<>();
        return db.transaction(c -> {
            List<Missing> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT device_id, source_id, update_id, os_family, "
                    + "severity, body FROM pb_device_update WHERE (CAST(? AS VARCHAR) IS NULL OR source_id = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR update_id = ?) "
                    + "ORDER BY source_id, update_id, os_family, device_id")) {
                s.setString(1, sourceId);
                s.setString(2, sourceId);
                s.setString(3, updateId);
                s.setString(4, updateId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String body = r.getString(6);
                        UpdateDTO u = parsed.computeIfAbsent(body, b -> Rows.parse(b, UpdateDTO.class));
                        boolean no = blocked.computeIfAbsent(body,
                                b -> rules.stream().anyMatch(rule -> BlockRules.matches(rule, u)));
                        out.add(new Missing(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getString(5), u, no));
                    }
                }
            }
            return out;
        });
    }

    /** The devices that have been scanned at least once. */
    Set<String> scannedDevices() {
        Set<String> scanned = new HashSet<>();
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT device_id FROM pb_device_scan");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    scanned.add(r.getString(1));
                }
            }
            return null;
        });
        return scanned;
    }
}
