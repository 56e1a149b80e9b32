package io.patchbay.store.internal;

import java.time.Clock;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;

/** The kinds of documents the store keeps, and how each one's key fields are read. */
final class Kinds {
    private Kinds() {
    }

    static Documents<PolicyDTO> policies(Database db, Clock clock) {
        return new Documents<>(db, clock, "policy", "policy", PolicyDTO.class, Documents.Shape.of(p -> p.id,
                (p, id) -> p.id = id, p -> p.version, (p, v) -> p.version = v, p -> p.name, p -> null));
    }

    static Documents<GroupDTO> groups(Database db, Clock clock) {
        return new Documents<>(db, clock, "group", "group", GroupDTO.class, Documents.Shape.of(g -> g.id,
                (g, id) -> g.id = id, g -> g.version, (g, v) -> g.version = v, g -> g.name, g -> null));
    }

    /** A device belongs to its group, so a group's devices can be counted. */
    static Documents<DeviceDTO> devices(Database db, Clock clock) {
        return new Documents<>(db, clock, "device", "device", DeviceDTO.class, Documents.Shape.of(d -> d.id,
                (d, id) -> d.id = id, d -> d.version, (d, v) -> d.version = v, d -> null, d -> d.groupId));
    }

    /** Block rules are added and removed, never edited: their version stays 1. */
    static Documents<BlockRuleDTO> blockRules(Database db, Clock clock) {
        return new Documents<>(db, clock, "block-rule", "block rule", BlockRuleDTO.class, Documents.Shape.of(r -> r.id,
                (r, id) -> r.id = id, r -> 1L, (r, v) -> {
                }, r -> null, r -> null));
    }
}
