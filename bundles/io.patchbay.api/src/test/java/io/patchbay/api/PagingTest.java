package io.patchbay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class PagingTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cursorsTheServerGaveOutAreReadBack() {
        assertEquals(0, Paging.position(null));
        assertEquals(0, Paging.position(""));
        assertEquals(1234, Paging.position(Paging.atPosition(1234)));
        assertNull(Paging.key(null));
        assertEquals("3f2a-x", Paging.key(Paging.afterKey("3f2a-x")));
    }

    @Test
    void anythingElseIsRefusedAsCursor() {
        for (String bad : new String[] { "garbage", "!!!", b64("p:5"), b64("o:5"), b64("pb1:-5"), b64("pb1:x"),
                b64("pb1:99999999999"), b64("pb1:"), b64("pb1:a\nb"), "   ", b64("x").repeat(500) }) {
            assertEquals("cursor", assertThrows(InvalidInputException.class, () -> Paging.position(bad), bad).field());
        }
        for (String bad : new String[] { "garbage", "!!!", b64("p:5"), b64("pb1:"), b64("pb1:a\nb"), "   ",
                b64("pb1:" + "x".repeat(256)) }) {
            assertEquals("cursor", assertThrows(InvalidInputException.class, () -> Paging.key(bad), bad).field());
        }
    }

    @Test
    void limitsAreOneToFiveHundred() {
        assertEquals(1, Paging.limit(1));
        assertEquals(500, Paging.limit(500));
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> Paging.limit(0)).field());
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> Paging.limit(501)).field());
    }
}
