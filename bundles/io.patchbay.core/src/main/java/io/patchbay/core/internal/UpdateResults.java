package io.patchbay.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/** Per-update results as a job records them: one per requested update, in request order, copied from the source's. */
final class UpdateResults {
    private UpdateResults() {
    }

    /** One result per requested update, in request order: blocked ones, then what the source said, else {@code missing}. */
    static List<UpdateResultDTO> merge(List<UpdateResultDTO> blocked, List<UpdateDTO> allowed,
            Map<String, UpdateResultDTO> returned, UpdateStatus missing, String message) {
        List<UpdateResultDTO> out = new ArrayList<>(blocked);
        for (UpdateDTO u : allowed) {
            UpdateResultDTO r = returned.get(u.id);
            if (r == null) {
                out.add(result(u, missing, message));
            } else {
                UpdateResultDTO copy = copy(r);
                if (copy.status == null) {
                    copy.status = UpdateStatus.FAILED;
                    copy.message = "the source gave no status" + (blank(r.message) ? "" : ": " + r.message);
                }
                if (copy.title == null) {
                    copy.title = u.title;
                }
                out.add(copy);
            }
        }
        return out;
    }

    /** The source's results by update id, the first for each id, copied. */
    static Map<String, UpdateResultDTO> returned(List<UpdateResultDTO> results) {
        Map<String, UpdateResultDTO> out = new LinkedHashMap<>();
        if (results != null) {
            for (UpdateResultDTO r : results) {
                if (r != null && r.updateId != null) {
                    out.putIfAbsent(r.updateId, copy(r));
                }
            }
        }
        return out;
    }

    /** How many results say the update did not get installed. */
    static long bad(List<UpdateResultDTO> results) {
        return results.stream().filter(r -> r.status == UpdateStatus.FAILED || r.status == UpdateStatus.INTERRUPTED
                || r.status == UpdateStatus.NOT_ATTEMPTED).count();
    }

    static UpdateResultDTO result(UpdateDTO u, UpdateStatus status, String message) {
        UpdateResultDTO r = new UpdateResultDTO();
        r.updateId = u.id;
        r.title = u.title;
        r.status = status;
        r.message = message;
        r.versionBefore = u.installedVersion;
        return r;
    }

    static UpdateResultDTO copy(UpdateResultDTO r) {
        UpdateResultDTO c = new UpdateResultDTO();
        c.updateId = r.updateId;
        c.title = r.title;
        c.status = r.status;
        c.message = r.message;
        c.versionBefore = r.versionBefore;
        c.versionAfter = r.versionAfter;
        c.rebootRequired = r.rebootRequired;
        c.startedAt = r.startedAt;
        c.endedAt = r.endedAt;
        return c;
    }

    /** A copy of the update that names the source it belongs to. */
    static UpdateDTO stamped(UpdateDTO u, String sourceId, String sourceType) {
        UpdateDTO c = new UpdateDTO();
        c.id = u.id;
        c.sourceType = sourceType;
        c.sourceId = sourceId;
        c.title = u.title;
        c.name = u.name;
        c.kb = u.kb;
        c.installedVersion = u.installedVersion;
        c.version = u.version;
        c.classification = u.classification;
        c.severity = u.severity;
        c.origin = u.origin;
        c.advisory = u.advisory;
        c.cves = u.cves == null ? null : List.copyOf(u.cves);
        c.rebootRequired = u.rebootRequired;
        c.releasedAt = u.releasedAt;
        c.description = u.description;
        return c;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
