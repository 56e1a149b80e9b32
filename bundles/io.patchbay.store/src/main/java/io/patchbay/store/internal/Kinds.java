package io.patchbay.store.internal;

import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;

/** The kinds of documents the store keeps, and how each one's key fields are read. */
final class Kinds {
    private Kinds() {
    }

    static Documents<PolicyDTO> policies(Database db) {
        return new Documents<>(db, "policy", "policy", PolicyDTO.class, new Documents.Shape<>() {
            public String id(PolicyDTO p) {
                return p.id;
            }

            public void id(PolicyDTO p, String id) {
                p.id = id;
            }

            public long version(PolicyDTO p) {
                return p.version;
            }

            public void version(PolicyDTO p, long v) {
                p.version = v;
            }

            public String name(PolicyDTO p) {
                return p.name;
            }
        });
    }

    static Documents<GroupDTO> groups(Database db) {
        return new Documents<>(db, "group", "group", GroupDTO.class, new Documents.Shape<>() {
            public String id(GroupDTO g) {
                return g.id;
            }

            public void id(GroupDTO g, String id) {
                g.id = id;
            }

            public long version(GroupDTO g) {
                return g.version;
            }

            public void version(GroupDTO g, long v) {
                g.version = v;
            }

            public String name(GroupDTO g) {
                return g.name;
            }
        });
    }

    static Documents<DeviceDTO> devices(Database db) {
        return new Documents<>(db, "device", "device", DeviceDTO.class, new Documents.Shape<>() {
            public String id(DeviceDTO d) {
                return d.id;
            }

            public void id(DeviceDTO d, String id) {
                d.id = id;
            }

            public long version(DeviceDTO d) {
                return d.version;
            }

            public void version(DeviceDTO d, long v) {
                d.version = v;
            }

            public String parent(DeviceDTO d) {
                return d.groupId;
            }
        });
    }

    /** Block rules are added and removed, never edited: their version stays 1. */
    static Documents<BlockRuleDTO> blockRules(Database db) {
        return new Documents<>(db, "block-rule", "block rule", BlockRuleDTO.class, new Documents.Shape<>() {
            public String id(BlockRuleDTO r) {
                return r.id;
            }

            public void id(BlockRuleDTO r, String id) {
                r.id = id;
            }

            public long version(BlockRuleDTO r) {
                return 1;
            }

            public void version(BlockRuleDTO r, long v) {
                // immutable once added
            }
        });
    }
}
