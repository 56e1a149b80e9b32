package io.patchbay.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing of credentials: after a few failures from one address, further attempts from it are refused
 * unchecked for a time that doubles with each failure. Keeps at most a bounded number of addresses, dropping the
 * least recently seen.
 */
final class FailedLogins {
    static final int FREE_FAILURES = 5;
    static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    /** An address without failures for this long starts afresh. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record Failures(int count, Instant last, Instant blockedUntil) {
    }

    private final int maxAddresses;
    private final Map<String, Failures> byAddress;

    FailedLogins(int maxAddresses) {
        this.maxAddresses = maxAddresses;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > FailedLogins.this.maxAddresses;
            }
        };
    }

    /** How long the address must wait before its credentials are checked again; zero when they may be now. */
    synchronized Duration wait(String address, Clock clock) {
        Failures f = byAddress.get(address);
        Instant now = clock.instant();
        if (f == null || f.blockedUntil == null || !now.isBefore(f.blockedUntil)) {
            return Duration.ZERO;
        }
        return Duration.between(now, f.blockedUntil);
    }

    synchronized void failed(String address, Clock clock) {
        Instant now = clock.instant();
        Failures f = byAddress.get(address);
        int count = f == null || f.last.plus(FORGET_AFTER).isBefore(now) ? 1 : f.count + 1;
        Instant until = null;
        if (count >= FREE_FAILURES) {
            long seconds = 1L << Math.min(20, count - FREE_FAILURES);
            until = now.plus(Duration.ofSeconds(Math.min(seconds, LONGEST_WAIT.toSeconds())));
        }
        byAddress.put(address, new Failures(count, now, until));
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    synchronized int addresses() {
        return byAddress.size();
    }
}
