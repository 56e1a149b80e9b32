package io.patchbay.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.patchbay.api.Paging;
import io.patchbay.api.dto.PageDTO;

/** Writing and reading the rows of jobs, runs and what scans found: statements, JSON bodies and pages. */
final class Rows {
    private Rows() {
    }

    /** Reads one row of a result set. */
    interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** How a LIKE the store builds is written: with this escape character, the same on H2 and PostgreSQL. */
    static final String LIKE = "LIKE ? ESCAPE '\\'";

    /**
     * A LIKE pattern that matches text containing the value, in lower case, or everything for null; the value's own
     * '%', '_' and '\' match only themselves.
     */
    static String containing(String value) {
        if (value == null) {
            return "%";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        StringBuilder pattern = new StringBuilder("%");
        for (int i = 0; i < lower.length(); i++) {
            char ch = lower.charAt(i);
            if (ch == '%' || ch == '_' || ch == '\\') {
                pattern.append('\\');
            }
            pattern.append(ch);
        }
        return pattern.append('%').toString();
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    static String json(Object o) {
        try {
            return Documents.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T parse(String body, Class<T> type) {
        try {
            return Documents.JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON body a query for one id finds, read as a DTO. */
    static <T> Optional<T> body(Database db, String sql, String id, Class<T> type) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(parse(r.getString(1), type)) : Optional.empty();
                }
            }
        });
    }

    /**
     * One page of a query whose last two parameters, from {@code limitParameter} on, are LIMIT and OFFSET: one row
     * more than the page is asked for, to know whether another page follows.
     */
    static <T> PageDTO<T> page(PreparedStatement s, int limitParameter, int offset, int limit, Row<T> row)
            throws SQLException {
        s.setInt(limitParameter, limit + 1);
        s.setInt(limitParameter + 1, offset);
        PageDTO<T> page = new PageDTO<>();
        page.items = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (page.items.size() == limit) {
                    page.next = Paging.atPosition(offset + limit);
                    break;
                }
                page.items.add(row.read(r));
            }
        }
        return page;
    }

    static int offset(String cursor, int limit) {
        Paging.limit(limit);
        return Paging.position(cursor);
    }
}
