package io.patchbay.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.AuditLog;
import io.patchbay.api.InvalidInputException;
import io.patchbay.api.Paging;
import io.patchbay.api.dto.AuditEntryDTO;
import io.patchbay.api.dto.PageDTO;

/** The audit log: one entry per change, written with the change, read newest first. */
@Component(service = AuditLog.class)
public class StoreAudit implements AuditLog {
    private final Database db;
    private final Clock clock;

    @Activate
    public StoreAudit(@Reference Database db, @Reference StoreClock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void record(String actor, String action, String entity, String entityId, String details) {
        Check.required("action", action, 16);
        Check.required("entity", entity, 32);
        Check.required("entityId", entityId, 64);
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO pb_audit (at, actor, action, entity, "
                    + "entity_id, after_body) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, actor == null || actor.isBlank() ? "unknown" : Check.required("actor", actor, 255));
                s.setString(3, action);
                s.setString(4, entity);
                s.setString(5, entityId);
                s.setString(6, details);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public PageDTO<AuditEntryDTO> page(String entity, String entityId, String cursor, int limit) {
        Paging.limit(limit);
        String key = Paging.key(cursor);
        if (key != null && !key.matches("[0-9]{1,18}")) {
            throw new InvalidInputException("cursor", cursor, "is not a cursor this server gave out");
        }
        long before = key == null ? Long.MAX_VALUE : Long.parseLong(key);
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, at, actor, action, entity, entity_id, after_body "
                    + "FROM pb_audit WHERE id < ? AND (CAST(? AS VARCHAR) IS NULL OR entity = ?) "
                    + "AND (CAST(? AS VARCHAR) IS NULL OR entity_id = ?) "
                    + "ORDER BY id DESC LIMIT ?")) {
                s.setLong(1, before);
                s.setString(2, entity);
                s.setString(3, entity);
                s.setString(4, entityId);
                s.setString(5, entityId);
                s.setInt(6, limit + 1);
                PageDTO<AuditEntryDTO> page = new PageDTO<>();
                page.items = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        if (page.items.size() == limit) {
                            page.next = Paging.afterKey(Long.toString(page.items.get(limit - 1).id));
                            break;
                        }
                        AuditEntryDTO e = new AuditEntryDTO();
                        e.id = r.getLong(1);
                        e.at = r.getTimestamp(2).toInstant();
                        e.actor = r.getString(3);
                        e.action = r.getString(4);
                        e.entity = r.getString(5);
                        e.entityId = r.getString(6);
                        e.after = r.getString(7);
                        page.items.add(e);
                    }
                }
                return page;
            }
        });
    }
}
