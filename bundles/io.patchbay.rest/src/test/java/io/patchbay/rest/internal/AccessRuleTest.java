package io.patchbay.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.api.security.CallerDTO;
import io.patchbay.api.security.Role;

class AccessRuleTest {
    private static CallerDTO caller(Role role, String deviceId) {
        CallerDTO c = new CallerDTO();
        c.name = "c";
        c.role = role;
        c.deviceId = deviceId;
        return c;
    }

    private static String refusal(String method, String path, CallerDTO caller) {
        return AccessRule.of(method, ApiAuthentication.segments(path)).refusal(caller);
    }

    @Test
    void pathsAreReadAsJaxRsMatchesThem() {
        assertEquals(List.of("tokens", "x"), ApiAuthentication.segments("//tokens;v=1/x/"));
        assertEquals(List.of("tokens"), ApiAuthentication.segments("/%74okens"));
        assertEquals(List.of("devices", "a b", "credentials"), ApiAuthentication.segments("/devices/a%20b/credentials"));
    }

    @Test
    void encodedOrPaddedPathsGetTheRuleOfWhatTheyName() {
        CallerDTO operator = caller(Role.OPERATOR, null);
        for (String path : new String[] { "/tokens", "//tokens", "/tokens;x=1", "/%74okens", "/devices/d/credentials",
                "/devices/d/%63redentials", "/sources/test/drain" }) {
            assertNotNull(refusal("POST", path, operator), path);
        }
        assertNull(refusal("POST", "/devices", operator));
        assertNotNull(refusal("GET", "/tokens", caller(Role.READ_ONLY, null)));
    }

    @Test
    void aPathWithoutARuleIsForAdminsOnly() {
        String why = refusal("GET", "/something-new", caller(Role.OPERATOR, null));
        assertTrue(why != null && why.contains("no access rule"), why);
        assertNotNull(refusal("POST", "/health", caller(Role.OPERATOR, null)));
        assertNotNull(refusal("GET", "/something-new", caller(Role.DEVICE, "d1")));
        assertNull(refusal("GET", "/something-new", caller(Role.ADMIN, null)), "an admin gets the 404");
    }

    @Test
    void aDeviceReachesItsOwnAgentPathsOnly() {
        CallerDTO d1 = caller(Role.DEVICE, "d1");
        assertNull(refusal("POST", "/agent/devices/d1/jobs/claim", d1));
        assertNull(refusal("POST", "/agent/devices/d%31/jobs/j/report", d1));
        assertNotNull(refusal("POST", "/agent/devices/d2/jobs/claim", d1));
        assertNotNull(refusal("GET", "/devices/d1", d1));
        assertNotNull(refusal("GET", "/agent", d1));
        assertNotNull(refusal("POST", "/agent/devices/d1/jobs/claim", caller(Role.ADMIN, null)));
    }
}
