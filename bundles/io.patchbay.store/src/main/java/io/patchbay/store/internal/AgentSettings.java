package io.patchbay.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The agents' check-in settings, framework properties read at activation: {@code patchbay.agent.checkInSeconds}
 * (default 3600), {@code patchbay.agent.jitterSeconds} (default a tenth of the interval) and
 * {@code patchbay.agent.onlineBufferSeconds} (default the jitter plus 60 s). A device is online while its last check-in
 * is at most interval + buffer old: an agent comes back within interval + jitter, and the 60 s absorb a slow network,
 * a busy server and the batched write of last-seen times.
 */
@Component(service = AgentSettings.class)
public final class AgentSettings {
    static final String CHECK_IN = "patchbay.agent.checkInSeconds";
    static final String JITTER = "patchbay.agent.jitterSeconds";
    static final String BUFFER = "patchbay.agent.onlineBufferSeconds";
    static final int MAX_INTERVAL = 7 * 24 * 3600;

    private final int checkInSeconds;
    private final int jitterSeconds;
    private final int bufferSeconds;

    @Activate
    public AgentSettings(BundleContext context) {
        this(Map.of(CHECK_IN, value(context, CHECK_IN), JITTER, value(context, JITTER), BUFFER,
                value(context, BUFFER)));
    }

    AgentSettings(Map<String, String> properties) {
        this.checkInSeconds = number(properties, CHECK_IN, 3600, 1, MAX_INTERVAL);
        this.jitterSeconds = number(properties, JITTER, checkInSeconds / 10, 0, MAX_INTERVAL);
        this.bufferSeconds = number(properties, BUFFER, jitterSeconds + 60, 0, MAX_INTERVAL);
    }

    private static String value(BundleContext context, String key) {
        String v = context.getProperty(key);
        return v == null ? "" : v;
    }

    private static int number(Map<String, String> properties, String key, int otherwise, int min, int max) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(key + " must be a whole number of seconds from " + min + " to " + max
                + " (was '" + v + "')");
    }

    public int checkInSeconds() {
        return checkInSeconds;
    }

    public int jitterSeconds() {
        return jitterSeconds;
    }

    /** How long after its last check-in a device counts as online. */
    public Duration onlineFor() {
        return Duration.ofSeconds((long) checkInSeconds + bufferSeconds);
    }

    /** {@code online}, {@code offline}, or {@code unknown} for a device never seen. */
    public String connection(Instant lastSeen, Instant now) {
        if (lastSeen == null) {
            return "unknown";
        }
        return lastSeen.plus(onlineFor()).isBefore(now) ? "offline" : "online";
    }
}
