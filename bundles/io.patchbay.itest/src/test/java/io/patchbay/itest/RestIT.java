package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The REST API over real HTTP. */
class RestIT {

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
    }

    @Test
    void healthAnswersUpInJson() throws Exception {
        Http.Answer a = Http.get("/health");
        assertEquals(200, a.status());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        assertEquals("UP", a.json().get("status").asText());
    }

    @Test
    void unknownPathIsProblemJson404() throws Exception {
        Http.Answer a = Http.get("/no-such-thing");
        assertEquals(404, a.status());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
        JsonNode p = a.json();
        assertEquals(404, p.get("status").asInt());
        assertTrue(p.get("detail").asText().contains("/api/v1/no-such-thing"), p.toString());
    }
}
