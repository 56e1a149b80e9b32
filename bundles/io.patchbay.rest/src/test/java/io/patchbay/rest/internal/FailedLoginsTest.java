package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class FailedLoginsTest {
    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void failuresBeyondAFewMakeTheAddressWaitLongerEachTime() {
        FailedLogins logins = new FailedLogins(100);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i < FailedLogins.FREE_FAILURES; i++) {
            logins.failed("192.0.2.1", at(t));
            assertEquals(Duration.ZERO, logins.wait("192.0.2.1", at(t)), "failure " + i);
        }
        logins.failed("192.0.2.1", at(t));
        assertEquals(Duration.ofSeconds(1), logins.wait("192.0.2.1", at(t)));
        logins.failed("192.0.2.1", at(t));
        assertEquals(Duration.ofSeconds(2), logins.wait("192.0.2.1", at(t)));
        assertEquals(Duration.ZERO, logins.wait("192.0.2.2", at(t)), "another address");
        assertEquals(Duration.ZERO, logins.wait("192.0.2.1", at(t.plusSeconds(2))), "the wait ends");
        for (int i = 0; i < 40; i++) {
            logins.failed("192.0.2.1", at(t));
        }
        assertEquals(FailedLogins.LONGEST_WAIT, logins.wait("192.0.2.1", at(t)), "bounded");
        logins.succeeded("192.0.2.1");
        assertEquals(Duration.ZERO, logins.wait("192.0.2.1", at(t)));
    }

    @Test
    void anAddressIsForgottenAfterAQuietHour() {
        FailedLogins logins = new FailedLogins(100);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < FailedLogins.FREE_FAILURES; i++) {
            logins.failed("192.0.2.1", at(t));
        }
        Instant later = t.plus(FailedLogins.FORGET_AFTER).plusSeconds(1);
        logins.failed("192.0.2.1", at(later));
        assertEquals(Duration.ZERO, logins.wait("192.0.2.1", at(later)), "counted afresh");
    }

    @Test
    void memoryIsBoundedByTheNumberOfAddresses() {
        FailedLogins logins = new FailedLogins(1000);
        Clock now = at(Instant.parse("2026-01-01T00:00:00Z"));
        for (int i = 0; i < 100_000; i++) {
            logins.failed("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), now);
        }
        assertEquals(1000, logins.addresses());
    }
}
