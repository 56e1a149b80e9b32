package io.patchbay.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.patchbay.api.Paging;
import io.patchbay.api.dto.PageDTO;

/**
 * Pages as the API gives them: at most {@code limit} items and at most {@link #MAX_BYTES} of JSON, with the cursor
 * format of {@link Paging} whether the list is held in memory or read from the store.
 */
final class Pages {
    static final int DEFAULT_LIMIT = 50;
    /** A page stops growing here even below its limit; a single larger item is still given on a page of its own. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = JsonProvider.mapper();

    private Pages() {
    }

    /** The {@code limit} query parameter: a whole number from 1 to 500, 50 when absent. */
    static int limit(String text) {
        return Params.number("limit", text, DEFAULT_LIMIT, 1, Paging.MAX_LIMIT);
    }

    /** A page of a list held in memory; the cursor is the position of the next item. */
    static <T> PageDTO<T> of(List<T> all, String cursor, int limit) {
        int from = Paging.position(cursor);
        List<T> items = new ArrayList<>();
        long bytes = 0;
        int i = from;
        for (; i < all.size() && items.size() < limit; i++) {
            long size = size(all.get(i));
            if (!items.isEmpty() && bytes + size > MAX_BYTES) {
                break;
            }
            items.add(all.get(i));
            bytes += size;
        }
        PageDTO<T> page = new PageDTO<>();
        page.items = items;
        page.next = i < all.size() ? Paging.atPosition(i) : null;
        return page;
    }

    /** Bounds a page read from a store whose cursor is the key of the last item given. */
    static <T> PageDTO<T> byKey(PageDTO<T> page, Function<T, String> key) {
        int kept = kept(page.items);
        if (kept < page.items.size()) {
            page.items = new ArrayList<>(page.items.subList(0, kept));
            page.next = Paging.afterKey(key.apply(page.items.get(kept - 1)));
        }
        return page;
    }

    /** Bounds a page read from a store whose cursor is the position of the next item. */
    static <T> PageDTO<T> byPosition(PageDTO<T> page, String cursor) {
        int kept = kept(page.items);
        if (kept < page.items.size()) {
            page.items = new ArrayList<>(page.items.subList(0, kept));
            page.next = Paging.atPosition((long) Paging.position(cursor) + kept);
        }
        return page;
    }

    /** How many items from the start fit in {@link #MAX_BYTES}; at least one. */
    private static <T> int kept(List<T> items) {
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            bytes += size(items.get(i));
            if (i > 0 && bytes > MAX_BYTES) {
                return i;
            }
        }
        return items.size();
    }

    private static long size(Object item) {
        try {
            return JSON.writeValueAsBytes(item).length + 1L;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an item of a page cannot be written as JSON", e);
        }
    }
}
