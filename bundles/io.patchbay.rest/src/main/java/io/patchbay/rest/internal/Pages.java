package io.patchbay.rest.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.patchbay.api.InvalidInputException;
import io.patchbay.api.dto.PageDTO;

/** Pages over lists the server holds in memory (jobs, block rules): the cursor is the position of the next item. */
final class Pages {
    static final int MAX = 500;

    private Pages() {
    }

    static <T> PageDTO<T> of(List<T> all, String cursor, int limit) {
        if (limit < 1 || limit > MAX) {
            throw new InvalidInputException("limit", limit, "must be from 1 to " + MAX);
        }
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (!s.startsWith("p:")) {
                    throw new IllegalArgumentException();
                }
                from = Integer.parseInt(s.substring(2));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cursor", cursor, "is not a cursor this server gave out");
            }
        }
        PageDTO<T> page = new PageDTO<>();
        int to = Math.min(all.size(), from + limit);
        page.items = from >= all.size() ? List.of() : List.copyOf(all.subList(from, to));
        if (to < all.size()) {
            page.next = Base64.getUrlEncoder().withoutPadding().encodeToString(("p:" + to)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return page;
    }
}
