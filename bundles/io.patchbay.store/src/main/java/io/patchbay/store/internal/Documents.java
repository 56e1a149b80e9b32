package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.patchbay.api.ConflictException;
import io.patchbay.api.InUseException;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.Paging;
import io.patchbay.api.dto.BlockRuleDTO;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.PolicyDTO;

/**
 * One kind of editable object (policies, groups, devices, block rules) kept as JSON documents with an
 * optimistic-locking version. Every change and its audit
 * entry are one transaction.
 *
 * @param <T> the DTO
 */
final class Documents<T> {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** How the store reads and sets the fields of a DTO it keys, versions and queries by. */
    interface KeyFields<T> {
        String id(T t);

        void id(T t, String id);

        long version(T t);

        void version(T t, long version);

        /** Unique per kind, or null. */
        String name(T t);

        /** The object this one belongs to (a device's group), for queries; or null. */
        String parent(T t);

        /** Key fields from accessors of a DTO's public fields. */
        static <T> KeyFields<T> of(Function<T, String> id, BiConsumer<T, String> setId, ToLongFunction<T> version,
                ObjLongConsumer<T> setVersion, Function<T, String> name, Function<T, String> parent) {
            return new KeyFields<>() {
                public String id(T t) {
                    return id.apply(t);
                }

                public void id(T t, String value) {
                    setId.accept(t, value);
                }

                public long version(T t) {
                    return version.applyAsLong(t);
                }

                public void version(T t, long value) {
                    setVersion.accept(t, value);
                }

                public String name(T t) {
                    return name.apply(t);
                }

                public String parent(T t) {
                    return parent.apply(t);
                }
            };
        }
    }

    // ---- the kinds of documents the store keeps ----

    static Documents<PolicyDTO> policies(Database db, Clock clock) {
        return new Documents<>(db, clock, "policy", "policy", PolicyDTO.class, KeyFields.of(p -> p.id,
                (p, id) -> p.id = id, p -> p.version, (p, v) -> p.version = v, p -> p.name, p -> null));
    }

    static Documents<GroupDTO> groups(Database db, Clock clock) {
        return new Documents<>(db, clock, "group", "group", GroupDTO.class, KeyFields.of(g -> g.id,
                (g, id) -> g.id = id, g -> g.version, (g, v) -> g.version = v, g -> g.name, g -> null));
    }

    /** A device belongs to its group, so a group's devices can be counted. */
    static Documents<DeviceDTO> devices(Database db, Clock clock) {
        return new Documents<>(db, clock, "device", "device", DeviceDTO.class, KeyFields.of(d -> d.id,
                (d, id) -> d.id = id, d -> d.version, (d, v) -> d.version = v, d -> null, d -> d.groupId));
    }

    /** Block rules are added and removed, never edited: their version stays 1. */
    static Documents<BlockRuleDTO> blockRules(Database db, Clock clock) {
        return new Documents<>(db, clock, "block-rule", "block rule", BlockRuleDTO.class, KeyFields.of(r -> r.id,
                (r, id) -> r.id = id, r -> 1L, (r, v) -> {
                }, r -> null, r -> null));
    }

    private final Database db;
    private final Clock clock;
    private final String kind;
    private final String what;
    private final Class<T> type;
    private final KeyFields<T> keys;
    private final Guard<T> beforeWrite;
    private final Guard<String> beforeDelete;

    /** A check made in a change's own transaction, so that what it finds stays true until the change commits. */
    interface Guard<V> {
        void check(Connection c, V value) throws SQLException;
    }

    private Documents(Database db, Clock clock, String kind, String what, Class<T> type, KeyFields<T> keys) {
        this(db, clock, kind, what, type, keys, (c, t) -> {
        }, (c, id) -> {
        });
    }

    private Documents(Database db, Clock clock, String kind, String what, Class<T> type, KeyFields<T> keys,
            Guard<T> beforeWrite, Guard<String> beforeDelete) {
        this.db = db;
        this.clock = clock;
        this.kind = kind;
        this.what = what;
        this.type = type;
        this.keys = keys;
        this.beforeWrite = beforeWrite;
        this.beforeDelete = beforeDelete;
    }

    /**
     * These documents, with a check of the objects they refer to before each create and update, and a check of the
     * objects that refer to one before it is deleted; both run in the change's transaction.
     */
    Documents<T> guarded(Guard<T> referencesExist, Guard<String> unreferenced) {
        return new Documents<>(db, clock, kind, what, type, keys, referencesExist, unreferenced);
    }

    /**
     * Locks an object of a kind until the transaction ends, if it exists: a delete of it waits for the transaction,
     * and a transaction that refers to it waits for its delete and then finds it gone.
     */
    static boolean lockIfExists(Connection c, String kind, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT version FROM pb_document WHERE kind = ? AND id = ? FOR UPDATE")) {
            s.setString(1, kind);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The bodies of every object of a kind, as the transaction sees them now. */
    static <V> List<V> all(Connection c, String kind, Class<V> type) throws SQLException {
        List<V> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM pb_document WHERE kind = ? ORDER BY id")) {
            s.setString(1, kind);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        out.add(JSON.readValue(r.getString(1), type));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("a stored " + kind + " cannot be read: "
                                + e.getOriginalMessage(), e);
                    }
                }
            }
        }
        return out;
    }

    /** How many objects of a kind belong to a parent, as the transaction sees them now. */
    static int countByParent(Connection c, String kind, String parent) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM pb_document WHERE kind = ? AND parent = ?")) {
            s.setString(1, kind);
            s.setString(2, parent);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    Optional<T> get(String id) {
        return db.transaction(c -> read(c, id));
    }

    private Optional<T> read(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT body, version FROM pb_document WHERE kind = ? AND id = ?")) {
            s.setString(1, kind);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(parse(r.getString(1), r.getLong(2))) : Optional.empty();
            }
        }
    }

    PageDTO<T> page(String cursor, int limit) {
        Paging.limit(limit);
        String key = Paging.key(cursor);
        String after = key == null ? "" : key;
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body, version, id FROM pb_document "
                    + "WHERE kind = ? AND id > ? ORDER BY id LIMIT ?")) {
                s.setString(1, kind);
                s.setString(2, after);
                s.setInt(3, limit + 1);
                PageDTO<T> page = new PageDTO<>();
                page.items = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    String last = null;
                    while (r.next()) {
                        if (page.items.size() == limit) {
                            page.next = Paging.afterKey(last);
                            break;
                        }
                        page.items.add(parse(r.getString(1), r.getLong(2)));
                        last = r.getString(3);
                    }
                }
                return page;
            }
        });
    }

    /** Every object of the kind; for the small sets that reference checks need. */
    List<T> all() {
        return db.transaction(c -> {
            List<T> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT body, version FROM pb_document WHERE kind = ? ORDER BY id")) {
                s.setString(1, kind);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(parse(r.getString(1), r.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    T create(T object, String actor) {
        keys.id(object, UUID.randomUUID().toString());
        return insert(object, actor);
    }

    /** Stores an object under the id it already has, unless one with that id exists: then that one is returned. */
    T createIfAbsent(T object, String actor) {
        Optional<T> existing = get(keys.id(object));
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return insert(object, actor);
        } catch (Database.StoreException e) {
            // another node stored it first
            return get(keys.id(object)).orElseThrow(() -> e);
        }
    }

    /** Stores a new object with a new id inside the caller's transaction, with its audit entry. */
    T createIn(Connection c, T object, String actor) throws SQLException {
        keys.id(object, UUID.randomUUID().toString());
        keys.version(object, 1);
        beforeWrite.check(c, object);
        insertRow(c, object);
        audit(c, actor, "create", keys.id(object), body(object));
        return object;
    }

    private T insert(T object, String actor) {
        keys.version(object, 1);
        return write(object, actor, "create", c -> insertRow(c, object));
    }

    private T insertRow(Connection c, T object) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_document (kind, id, name, parent, version, "
                + "body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, kind);
            s.setString(2, keys.id(object));
            s.setString(3, keys.name(object));
            s.setString(4, keys.parent(object));
            s.setLong(5, 1);
            s.setString(6, body(object));
            s.setTimestamp(7, Timestamp.from(now));
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
        }
        return object;
    }

    T update(String id, T object, long expected, String actor) {
        keys.id(object, id);
        keys.version(object, expected + 1);
        return write(object, actor, "update", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE pb_document SET name = ?, parent = ?, version = ?, "
                    + "body = ?, updated_at = ? WHERE kind = ? AND id = ? AND version = ?")) {
                s.setString(1, keys.name(object));
                s.setString(2, keys.parent(object));
                s.setLong(3, expected + 1);
                s.setString(4, body(object));
                s.setTimestamp(5, Timestamp.from(clock.instant()));
                s.setString(6, kind);
                s.setString(7, id);
                s.setLong(8, expected);
                if (s.executeUpdate() == 0) {
                    throw missingOrChanged(c, id, expected);
                }
            }
            return object;
        });
    }

    void delete(String id, long expected, String actor) {
        db.transaction(c -> {
            // locked first, so that no change referring to it commits between the check below and the delete
            if (!lockIfExists(c, kind, id)) {
                throw new NotFoundException(what, id);
            }
            beforeDelete.check(c, id);
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM pb_document WHERE kind = ? AND id = ? AND version = ?")) {
                s.setString(1, kind);
                s.setString(2, id);
                s.setLong(3, expected);
                if (s.executeUpdate() == 0) {
                    throw missingOrChanged(c, id, expected);
                }
            }
            audit(c, actor, "delete", id, null);
            return null;
        });
    }

    private RuntimeException missingOrChanged(Connection c, String id, long expected) throws SQLException {
        Optional<T> now = read(c, id);
        return now.isEmpty() ? new NotFoundException(what, id)
                : new ConflictException(what, id, expected, keys.version(now.get()));
    }

    private T write(T object, String actor, String action, Database.Work<T> work) {
        try {
            return db.transaction(c -> {
                beforeWrite.check(c, object);
                T written = work.run(c);
                audit(c, actor, action, keys.id(written), body(written));
                return written;
            });
        } catch (Database.StoreException e) {
            if (e.isUniqueViolation() && keys.name(object) != null) {
                // a name in use is a conflict with the other object, not a malformed request
                throw new InUseException("name: another " + what + " is named '" + keys.name(object) + "'");
            }
            throw e;
        }
    }

    private void audit(Connection c, String actor, String action, String id, String after) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_audit (at, actor, action, entity, entity_id, "
                + "after_body) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, actor == null || actor.isBlank() ? "unknown" : actor);
            s.setString(3, action);
            s.setString(4, kind);
            s.setString(5, id);
            s.setString(6, after);
            s.executeUpdate();
        }
    }

    private String body(T object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + what + " as JSON", e);
        }
    }

    private T parse(String body, long version) {
        try {
            T t = JSON.readValue(body, type);
            keys.version(t, version);
            return t;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + what + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
