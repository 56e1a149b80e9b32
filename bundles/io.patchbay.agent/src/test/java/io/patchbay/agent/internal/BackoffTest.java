package io.patchbay.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheBaseUpToTheCapWithTheTopOfTheJitter() {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), () -> 1.0);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waits.add(b.failed().toSeconds());
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L, 600L), waits);
    }

    @Test
    void theJitterTakesUpToHalfAway() {
        Backoff low = new Backoff(Duration.ofSeconds(8), Duration.ofMinutes(10), () -> 0.0);
        assertEquals(4, low.failed().toSeconds());
        assertEquals(8, low.failed().toSeconds());
        Backoff mid = new Backoff(Duration.ofSeconds(8), Duration.ofMinutes(10), () -> 0.5);
        assertEquals(6_000, mid.failed().toMillis());
    }

    @Test
    void aSuccessStartsOver() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 1.0);
        b.failed();
        b.failed();
        b.failed();
        b.succeeded();
        assertEquals(1, b.failed().toSeconds());
    }

    @Test
    void manyFailuresStayAtTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 1.0);
        for (int i = 0; i < 200; i++) {
            b.failed();
        }
        assertEquals(30, b.failed().toSeconds());
    }

    @Test
    void theIntervalAddsUpToTheJitter() {
        assertEquals(3600_000, Backoff.interval(3600, 360, () -> 0.0).toMillis());
        assertEquals(3960_000, Backoff.interval(3600, 360, () -> 1.0).toMillis());
        assertEquals(1_000, Backoff.interval(0, -5, () -> 1.0).toMillis(), "never less than a second, never negative");
    }
}
