package io.patchbay.store.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.BlockList;
import io.patchbay.api.Paging;
import io.patchbay.api.UpdateIndex;
import io.patchbay.api.dto.ComplianceDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultRowDTO;
import io.patchbay.api.dto.UpdateSummaryDTO;
import io.patchbay.store.internal.MissingUpdates.Missing;

/** The updates devices miss, the per-update results of ended jobs, and the compliance report, from the store. */
@Component(service = UpdateIndex.class)
public class StoreUpdateIndex implements UpdateIndex {
    // the block list as it is now: whether a missing update is blocked is decided when it is read
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BlockList blockList;
    private final MissingUpdates missing;
    private final JobRecords records;
    private final Documents<GroupDTO> groups;
    private final Documents<DeviceDTO> storedDevices;

    @Activate
    public StoreUpdateIndex(@Reference Database db, @Reference StoreClock clock) {
        this.missing = new MissingUpdates(db, () -> blockList);
        this.records = new JobRecords(db);
        this.groups = Documents.groups(db, clock);
        this.storedDevices = Documents.devices(db, clock);
    }

    /** Every update known from the latest scans; {@code impactedDevices} counts the devices it is not blocked on. */
    @Override
    public PageDTO<UpdateSummaryDTO> updates(String cursor, int limit) {
        int offset = Rows.offset(cursor, limit);
        Map<List<String>, UpdateSummaryDTO> byKey = new LinkedHashMap<>();
        for (Missing m : missing.find(null, null)) {
            UpdateSummaryDTO u = byKey.computeIfAbsent(List.of(m.sourceId(), m.updateId(), String.valueOf(
                    m.osFamily())), k -> {
                        UpdateSummaryDTO n = new UpdateSummaryDTO();
                        n.sourceId = m.sourceId();
                        n.updateId = m.updateId();
                        n.osFamily = m.osFamily();
                        return n;
                    });
            UpdateDTO found = m.update();
            u.sourceType = u.sourceType != null ? u.sourceType : found.sourceType;
            u.title = u.title != null ? u.title : found.title;
            u.kb = u.kb != null ? u.kb : found.kb;
            u.severity = u.severity != null ? u.severity : m.severity();
            u.classification = u.classification != null ? u.classification : found.classification;
            if (!m.blocked()) {
                u.impactedDevices++;
            }
        }
        List<UpdateSummaryDTO> all = new ArrayList<>(byKey.values());
        PageDTO<UpdateSummaryDTO> page = new PageDTO<>();
        page.items = offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, Math.min(all.size(),
                offset + limit)));
        if (offset + limit < all.size()) {
            page.next = Paging.atPosition(offset + limit);
        }
        return page;
    }

    @Override
    public List<String> impactedDevices(String sourceId, String updateId) {
        return new ArrayList<>(missing.impacted(sourceId, updateId).keySet());
    }

    @Override
    public Map<String, UpdateDTO> missingOn(String sourceId, String updateId) {
        return missing.impacted(sourceId, updateId);
    }

    @Override
    public PageDTO<UpdateResultRowDTO> results(String runName, String update, String deviceId, String title,
            String cursor, int limit) {
        return records.results(runName, update, deviceId, title, cursor, limit);
    }

    @Override
    public ComplianceDTO compliance() {
        Map<String, int[]> missingOf = new HashMap<>();
        for (Missing m : missing.find(null, null)) {
            if (!m.blocked()) {
                int[] counts = missingOf.computeIfAbsent(m.deviceId(), k -> new int[2]);
                counts[0]++;
                counts[1] += "critical".equals(m.severity()) ? 1 : 0;
            }
        }
        Set<String> scanned = missing.scannedDevices();
        Map<String, ComplianceDTO.Counts> byGroup = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        groups.all().forEach(g -> names.put(g.id, g.name));
        ComplianceDTO report = new ComplianceDTO();
        report.overall = new ComplianceDTO.Counts();
        for (DeviceDTO d : storedDevices.all()) {
            if (d.excludedFromReports) {
                continue;
            }
            String key = d.groupId == null ? "" : d.groupId;
            ComplianceDTO.Counts g = byGroup.computeIfAbsent(key, k -> {
                ComplianceDTO.Counts n = new ComplianceDTO.Counts();
                n.groupId = d.groupId;
                n.groupName = d.groupId == null ? "(no group)" : names.get(d.groupId);
                return n;
            });
            for (ComplianceDTO.Counts counts : List.of(g, report.overall)) {
                counts.devices++;
                int[] m = missingOf.get(d.id);
                if (!scanned.contains(d.id)) {
                    counts.unknown++;
                } else if (m == null) {
                    counts.compliant++;
                } else {
                    counts.missingAny++;
                    if (m[1] > 0) {
                        counts.missingCritical++;
                    }
                }
            }
        }
        report.groups = new ArrayList<>(byGroup.values());
        return report;
    }
}
