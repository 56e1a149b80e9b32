package io.patchbay.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The time the store stamps on what it keeps: always that of the highest-ranked {@link Clock} service, so a test's
 * clock is taken without restarting the store's components. They get this once and pass it to their helpers.
 */
@Component(service = StoreClock.class)
public class StoreClock extends Clock {
    // dynamic, so that a higher-ranked clock replaces the server's without deactivating every store component
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Override
    public ZoneId getZone() {
        return clock.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return clock.withZone(zone);
    }

    @Override
    public Instant instant() {
        return clock.instant();
    }
}
