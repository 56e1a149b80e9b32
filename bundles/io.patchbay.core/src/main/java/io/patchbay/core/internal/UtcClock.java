package io.patchbay.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * The one clock of the server: every component takes the highest-ranked {@link Clock} service, so a test can drive
 * time by registering one that outranks this.
 */
@Component(service = Clock.class, property = Constants.SERVICE_RANKING + ":Integer=-100")
public class UtcClock extends Clock {
    private final Clock system = Clock.systemUTC();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return system.withZone(zone);
    }

    @Override
    public Instant instant() {
        return system.instant();
    }

    @Override
    public long millis() {
        return system.millis();
    }
}
