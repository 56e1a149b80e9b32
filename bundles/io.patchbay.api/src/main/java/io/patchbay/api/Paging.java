package io.patchbay.api;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one cursor format of every paged list, and the bounds of a page. A cursor is opaque to clients: URL-safe
 * base64 of {@code pb1:} and either the key of the last item given (lists ordered by a key) or the position of the
 * next item (lists ordered otherwise). Anything else is refused as {@code cursor}.
 */
public final class Paging {
    /** Items a page may hold at most. */
    public static final int MAX_LIMIT = 500;
    private static final String PREFIX = "pb1:";
    /** Keys are ids; no id the server gives out is longer. */
    private static final int MAX_KEY = 255;

    private Paging() {
    }

    /** Checks a page size: 1 to {@link #MAX_LIMIT}. */
    public static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", limit, "must be from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** The cursor of the page after the item with this key. */
    public static String afterKey(String key) {
        return encode(key);
    }

    /** The key a cursor names, or null for the first page (no cursor). */
    public static String key(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String key = decode(cursor);
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw refused(cursor);
        }
        return key;
    }

    /** The cursor of the page that starts at this position. */
    public static String atPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position " + position);
        }
        return encode(Long.toString(position));
    }

    /** The position a cursor names; 0 for the first page (no cursor). */
    public static int position(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        String p = decode(cursor);
        if (!p.matches("[0-9]{1,10}")) {
            throw refused(cursor);
        }
        long n = Long.parseLong(p);
        if (n > Integer.MAX_VALUE) {
            throw refused(cursor);
        }
        return (int) n;
    }

    private static String encode(String value) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + value).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        if (cursor.length() > 4 * (MAX_KEY + PREFIX.length())) {
            throw refused(cursor);
        }
        String s;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw refused(cursor);
        }
        if (!s.startsWith(PREFIX) || s.chars().anyMatch(Character::isISOControl)) {
            throw refused(cursor);
        }
        return s.substring(PREFIX.length());
    }

    private static InvalidInputException refused(String cursor) {
        String shown = cursor.length() > 80 ? cursor.substring(0, 80) + "…" : cursor;
        return new InvalidInputException("cursor", shown, "is not a cursor this server gave out; "
                + "pass the 'next' of the previous page, or no cursor for the first page");
    }
}
