package io.patchbay.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;

/**
 * The block list as the core enforces it on every executor, local or remote: before a source is asked to install
 * anything, and again on what it reports. A source cannot opt out.
 */
final class BlockListEnforcement {
    private final Function<UpdateDTO, Optional<BlockRuleDTO>> blocked;

    BlockListEnforcement(Function<UpdateDTO, Optional<BlockRuleDTO>> blocked) {
        this.blocked = blocked;
    }

    /** What a job may hand its source: the allowed updates, stamped with the source, and a result for each blocked one. */
    record Split(List<UpdateDTO> allowed, List<UpdateResultDTO> blocked) {
    }

    Split before(JobKind kind, List<UpdateDTO> requested, String sourceId, String sourceType) {
        List<UpdateDTO> allowed = new ArrayList<>();
        List<UpdateResultDTO> refused = new ArrayList<>();
        if (kind == JobKind.INSTALL) {
            for (UpdateDTO u : requested) {
                UpdateDTO withSource = UpdateResults.stamped(u, sourceId, sourceType);
                Optional<BlockRuleDTO> rule = blocked.apply(withSource);
                if (rule.isPresent()) {
                    refused.add(UpdateResults.result(u, UpdateStatus.BLOCKED, "blocked by rule " + rule.get().id
                            + (UpdateResults.blank(rule.get().reason) ? "" : ": " + rule.get().reason)));
                } else {
                    allowed.add(withSource);
                }
            }
        } else if (kind == JobKind.ROLLBACK) {
            requested.forEach(u -> allowed.add(UpdateResults.stamped(u, sourceId, sourceType)));
        }
        return new Split(allowed, refused);
    }

    /** What a scan found, stamped with its source, each marked with the rule that blocks it. */
    List<UpdateDTO> found(List<UpdateDTO> scanned, String sourceId, String sourceType) {
        if (scanned == null) {
            return null;
        }
        List<UpdateDTO> out = new ArrayList<>();
        for (UpdateDTO u : scanned) {
            if (u != null) {
                UpdateDTO s = UpdateResults.stamped(u, sourceId, sourceType);
                s.blockedBy = blocked.apply(s).map(r -> r.id).orElse(null);
                out.add(s);
            }
        }
        return out;
    }

    /** Why an install's results break the block list (it installed a blocked update), or null. */
    String violation(JobKind kind, Map<String, UpdateResultDTO> results, List<UpdateDTO> allowed, String sourceId,
            String sourceType) {
        if (kind != JobKind.INSTALL || results == null) {
            return null;
        }
        for (UpdateResultDTO r : results.values()) {
            if (r.status != UpdateStatus.SUCCEEDED) {
                continue;
            }
            UpdateDTO probe = new UpdateDTO();
            probe.id = r.updateId;
            probe.title = r.title;
            probe.sourceType = sourceType;
            probe.sourceId = sourceId;
            allowed.stream().filter(u -> u.id.equals(r.updateId)).findFirst().ifPresent(u -> {
                probe.name = u.name;
                probe.kb = u.kb;
                probe.version = u.version;
            });
            Optional<BlockRuleDTO> rule = blocked.apply(probe);
            if (rule.isPresent()) {
                return "the source installed '" + r.updateId + "', which block rule " + rule.get().id + " forbids";
            }
        }
        return null;
    }
}
