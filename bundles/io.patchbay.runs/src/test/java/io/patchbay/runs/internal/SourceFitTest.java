package io.patchbay.runs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.SourceDTO;

class SourceFitTest {

    private static SourceDTO source(String type, String... platforms) {
        SourceDTO s = new SourceDTO();
        s.id = type;
        s.type = type;
        s.platforms = List.of(platforms);
        return s;
    }

    private static DeviceDTO device(String family, String osName) {
        DeviceDTO d = new DeviceDTO();
        d.id = "d";
        d.osFamily = family;
        d.osName = osName;
        return d;
    }

    @Test
    void packageToolSourcesPatchTheirOwnDistributionsOnly() {
        SourceDTO apt = source("apt", "linux");
        SourceDTO dnf = source("dnf", "linux");
        for (String debianLike : new String[] { "debian", "ubuntu", "Ubuntu 22.04 LTS", "raspbian" }) {
            assertTrue(SourceFit.unfit(apt, device("linux", debianLike)).isEmpty(), debianLike);
            assertTrue(SourceFit.unfit(dnf, device("linux", debianLike)).orElseThrow().contains("does not patch"));
        }
        for (String redhatLike : new String[] { "rhel", "fedora", "rocky", "almalinux", "centos",
                "Red Hat Enterprise Linux" }) {
            assertTrue(SourceFit.unfit(dnf, device("linux", redhatLike)).isEmpty(), redhatLike);
            assertTrue(SourceFit.unfit(apt, device("linux", redhatLike)).isPresent(), redhatLike);
        }
    }

    @Test
    void otherSourcesAndUnknownDistributionsGoByPlatform() {
        assertTrue(SourceFit.unfit(source("apt", "linux"), device("linux", null)).isEmpty(), "unknown: tried");
        assertTrue(SourceFit.unfit(source("apt", "linux"), device("linux", "gentoo")).isEmpty());
        assertTrue(SourceFit.unfit(source("catalog", "linux", "windows"), device("linux", "rhel")).isEmpty());
        assertTrue(SourceFit.unfit(source("wsus", "windows"), device("linux", "debian")).orElseThrow()
                .contains("not linux"));
        assertEquals("rhel", SourceFit.distribution("RHEL"));
        assertNull(SourceFit.distribution("olive"));
    }
}
