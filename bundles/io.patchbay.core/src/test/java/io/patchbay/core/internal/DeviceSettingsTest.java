package io.patchbay.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.patchbay.api.Groups;
import io.patchbay.api.Policies;
import io.patchbay.api.RunRecords;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;
import io.patchbay.api.dto.WindowsUpdateSource;
import io.patchbay.api.source.RebootBehaviour;
import io.patchbay.api.source.TargetSettings;

class DeviceSettingsTest {
    /** Stores of each kind whose get answers from a map; a kind not given is not present. */
    static DeviceSettings.Stores stores(Map<Class<?>, Map<String, ?>> byKind) {
        return new DeviceSettings.Stores() {
            @Override
            @SuppressWarnings("unchecked")
            public <S, R> R read(Class<S> type, Function<S, R> read) {
                Map<String, ?> byId = byKind.get(type);
                if (byId == null) {
                    throw new IllegalStateException("the store of " + type.getSimpleName() + " is not available");
                }
                S store = (S) Proxy.newProxyInstance(DeviceSettingsTest.class.getClassLoader(), new Class<?>[] { type },
                        (p, m, a) -> {
                            if (m.getName().equals("get") && a.length == 1) {
                                return Optional.ofNullable(byId.get((String) a[0]));
                            }
                            throw new UnsupportedOperationException(m.getName());
                        });
                return read.apply(store);
            }
        };
    }

    private static DeviceDTO device(String groupId) {
        DeviceDTO d = new DeviceDTO();
        d.id = "d1";
        d.groupId = groupId;
        return d;
    }

    @Test
    void theGroupGivesTheWindowsSourceAndTheRunsPolicyTheReboot() {
        GroupDTO group = new GroupDTO();
        group.id = "g1";
        group.windowsUpdate.source = "wsus";
        group.windowsUpdate.wsusUrl = "http://wsus.corp:8530";
        PolicyDTO policy = new PolicyDTO();
        policy.id = "p1";
        policy.autoReboot = true;
        RunRecordDTO run = new RunRecordDTO();
        run.run = new RunDTO();
        run.run.id = "r1";
        run.run.policyId = "p1";
        DeviceSettings settings = new DeviceSettings(stores(Map.of(Groups.class, Map.of("g1", group),
                Policies.class, Map.of("p1", policy), RunRecords.class, Map.of("r1", run))));

        TargetSettings s = settings.of(device("g1"), "r1");
        assertEquals(WindowsUpdateSource.WSUS, s.windowsUpdateSource());
        assertEquals(Optional.of(URI.create("http://wsus.corp:8530")), s.wsusUrl());
        assertEquals(RebootBehaviour.RESTART_WHEN_NEEDED, s.reboot());

        // a job on its own has no policy: nothing restarts the device
        assertEquals(RebootBehaviour.LEAVE_PENDING, settings.of(device("g1"), null).reboot());
        // a device in no group, or in a group deleted since, gets Microsoft Update
        assertEquals(TargetSettings.defaults(), settings.of(device(null), null));
        assertEquals(TargetSettings.defaults(), settings.of(device("gone"), null));
    }

    @Test
    void aMissingStoreIsAnErrorNotTheDefaults() {
        DeviceSettings settings = new DeviceSettings(stores(Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> settings.of(device("g1"), null));
        assertEquals("the store of Groups is not available", e.getMessage());
        assertThrows(IllegalStateException.class, () -> settings.of(device(null), "r1"));
        assertEquals(TargetSettings.defaults(), settings.of(device(null), null));
    }
}
