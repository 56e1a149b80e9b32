package io.patchbay.runs.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.SourceDTO;

/**
 * Whether a source can patch a device: it must serve the device's platform, and a source that drives one family of
 * Linux package tools only patches the distributions built on them (apt: Debian and its derivatives; dnf and yum:
 * Red Hat and its). Sources of other types patch every device of their platforms.
 */
final class SourceFit {
    static final Set<String> DEBIAN_LIKE = Set.of("debian", "ubuntu", "linuxmint", "raspbian", "pop", "kali",
            "elementary", "devuan", "zorin", "neon");
    static final Set<String> REDHAT_LIKE = Set.of("rhel", "red hat", "redhat", "fedora", "rocky", "almalinux", "alma",
            "centos", "ol", "oracle", "amzn", "amazon");
    static final Map<String, Set<String>> DISTRIBUTIONS_BY_TYPE = Map.of("apt", DEBIAN_LIKE, "dnf", REDHAT_LIKE, "yum",
            REDHAT_LIKE);

    private SourceFit() {
    }

    /** Why the source cannot patch the device, or empty when it can (or when the device's distribution is unknown). */
    static Optional<String> unfit(SourceDTO source, DeviceDTO device) {
        if (source.platforms == null || !source.platforms.contains(device.osFamily)) {
            return Optional.of("source '" + source.id + "' serves " + source.platforms + ", not " + device.osFamily);
        }
        Set<String> serves = DISTRIBUTIONS_BY_TYPE.get(source.type);
        if (serves == null || !"linux".equals(device.osFamily)) {
            return Optional.empty();
        }
        String distribution = distribution(device.osName);
        if (distribution == null || serves.contains(distribution)) {
            return Optional.empty();
        }
        return Optional.of("source '" + source.id + "' (" + source.type + ") does not patch " + device.osName);
    }

    /** The known distribution id an OS name stands for ({@code ID} of os-release, or a product name), or null. */
    static String distribution(String osName) {
        if (osName == null || osName.isBlank()) {
            return null;
        }
        String name = osName.strip().toLowerCase(Locale.ROOT);
        for (Set<String> family : Set.of(DEBIAN_LIKE, REDHAT_LIKE)) {
            if (family.contains(name)) {
                return name;
            }
        }
        // product names: "Ubuntu 22.04 LTS", "Red Hat Enterprise Linux", "Rocky Linux"
        for (Set<String> family : Set.of(DEBIAN_LIKE, REDHAT_LIKE)) {
            for (String id : family) {
                if (id.length() > 2 && (name.startsWith(id + " ") || name.startsWith(id + "-"))) {
                    return id;
                }
            }
        }
        return null;
    }
}
