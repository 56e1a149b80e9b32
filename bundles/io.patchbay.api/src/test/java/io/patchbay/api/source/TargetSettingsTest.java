package io.patchbay.api.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.WindowsUpdateSource;

class TargetSettingsTest {
    @Test
    void aGroupWithWsusGivesItsServerAndThePolicyItsReboot() {
        GroupDTO group = new GroupDTO();
        group.id = "g1";
        group.windowsUpdate.source = "wsus";
        group.windowsUpdate.wsusUrl = "https://wsus.example.com:8531";
        PolicyDTO policy = new PolicyDTO();
        policy.id = "p1";
        policy.autoReboot = true;
        TargetSettings s = TargetSettings.of(group, policy);
        assertEquals(WindowsUpdateSource.WSUS, s.windowsUpdateSource());
        assertEquals(Optional.of(URI.create("https://wsus.example.com:8531")), s.wsusUrl());
        assertEquals(RebootBehaviour.RESTART_WHEN_NEEDED, s.reboot());
        assertEquals(Optional.of("g1"), s.groupId());
        assertEquals(Optional.of("p1"), s.policyId());
    }

    @Test
    void noGroupAndNoPolicyAreTheDefaults() {
        TargetSettings s = TargetSettings.of(null, null);
        assertEquals(TargetSettings.defaults(), s);
        assertEquals(WindowsUpdateSource.MICROSOFT_UPDATE, s.windowsUpdateSource());
        assertTrue(s.wsusUrl().isEmpty());
        assertEquals(RebootBehaviour.LEAVE_PENDING, s.reboot());
    }

    @Test
    void aTargetThatSetsNothingHasTheDefaults() {
        Target target = new Target() {
            public DeviceDTO device() {
                return new DeviceDTO();
            }

            public Host host() {
                return null;
            }
        };
        assertEquals(TargetSettings.defaults(), target.settings());
    }

    @Test
    void invalidWindowsSettingsAreRefused() {
        GroupDTO group = new GroupDTO();
        group.windowsUpdate.source = "wsus";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.wsusUrl = "ftp://wsus.example.com";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.wsusUrl = "https:///no-host";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.wsusUrl = "https://host:99999";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.wsusUrl = "https://host:0";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.source = "microsoft-update";
        group.windowsUpdate.wsusUrl = "https://wsus.example.com";
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
        group.windowsUpdate.source = "Microsoft-Update";
        group.windowsUpdate.wsusUrl = null;
        assertThrows(IllegalArgumentException.class, () -> TargetSettings.of(group, null));
    }
}
