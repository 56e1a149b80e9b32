package io.patchbay.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.Classification;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.Severity;
import io.patchbay.api.dto.UpdateDTO;

/**
 * What the API accepts in a job request: every text fits the store's column for it, so a job that is accepted is
 * also recorded when it ends (the column lengths are those of the store's migrations).
 */
final class JobRequests {
    static final int MAX_ID = 64;
    static final int MAX_UPDATE_ID = 255;
    static final int MAX_UPDATES = 1000;
    /** Deadlines further out are a mistake, and far enough out they overflow time arithmetic. */
    static final Duration MAX_AHEAD = Duration.ofDays(366);

    private JobRequests() {
    }

    static void check(JobRequestDTO r, Instant now) {
        if (r == null) {
            throw new InvalidInputException("body", null, "a job request is required");
        }
        text("deviceId", r.deviceId, MAX_ID);
        text("sourceId", r.sourceId, MAX_ID);
        text("runId", r.runId, MAX_ID);
        if (r.deadline != null && r.deadline.isAfter(now.plus(MAX_AHEAD))) {
            throw new InvalidInputException("deadline", r.deadline, "may be at most " + MAX_AHEAD.toDays()
                    + " days ahead");
        }
        List<UpdateDTO> updates = r.updates;
        if (updates == null) {
            return;
        }
        if (updates.size() > MAX_UPDATES) {
            throw new InvalidInputException("updates", updates.size() + " updates", "may have at most " + MAX_UPDATES);
        }
        for (int i = 0; i < updates.size(); i++) {
            UpdateDTO u = updates.get(i);
            if (u == null) {
                throw new InvalidInputException("updates[" + i + "]", null, "is required");
            }
            update("updates[" + i + "].", u);
        }
        distinct("updates", "id", updates.stream().map(u -> u.id).toList());
    }

    /**
     * Each id at most once in a list: the store records one result per update of a job. {@code list} and
     * {@code field} name the field, e.g. updates[3].id.
     */
    static void distinct(String list, String field, List<String> ids) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null) {
                continue;
            }
            Integer before = first.putIfAbsent(id, i);
            if (before != null) {
                throw new InvalidInputException(list + "[" + i + "]." + field, Params.shown(id), "repeats "
                        + list + "[" + before + "]." + field + ": each update may be listed once");
            }
        }
    }

    /** The texts of one update, each within the store's column; {@code at} prefixes the field names. */
    static void update(String at, UpdateDTO u) {
        text(at + "id", u.id, MAX_UPDATE_ID);
        text(at + "sourceType", u.sourceType, MAX_ID);
        text(at + "sourceId", u.sourceId, MAX_ID);
        text(at + "title", u.title, 500);
        text(at + "name", u.name, 255);
        text(at + "kb", u.kb, MAX_ID);
        text(at + "installedVersion", u.installedVersion, 255);
        text(at + "version", u.version, 255);
        if (u.classification != null) {
            vocabulary(at + "classification", u.classification, Classification::find, Classification.allowed());
        }
        if (u.severity != null) {
            vocabulary(at + "severity", u.severity, Severity::find, Severity.allowed());
        }
        text(at + "origin", u.origin, 500);
        text(at + "advisory", u.advisory, 255);
        text(at + "description", u.description, 4000);
        text(at + "blockedBy", u.blockedBy, MAX_ID);
        if (u.cves != null) {
            if (u.cves.size() > 1000) {
                throw new InvalidInputException(at + "cves", u.cves.size() + " entries", "may have at most 1000");
            }
            for (int c = 0; c < u.cves.size(); c++) {
                text(at + "cves[" + c + "]", u.cves.get(c), MAX_ID);
            }
        }
    }

    /** A value of one of the api's vocabularies; the message names the field, the value and the allowed values. */
    static void vocabulary(String field, String value, Function<String, Optional<?>> find, List<String> allowed) {
        if (find.apply(value).isEmpty()) {
            throw new InvalidInputException(field, Params.shown(value), "must be one of " + allowed);
        }
    }

    /** A text field, absent or at most {@code max} characters long. */
    static void text(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException(field, Params.shown(value), "may have at most " + max + " characters (has "
                    + value.length() + ")");
        }
    }
}
