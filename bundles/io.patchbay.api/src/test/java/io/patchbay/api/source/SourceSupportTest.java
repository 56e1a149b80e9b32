package io.patchbay.api.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;
import io.patchbay.api.dto.UpdateStatus;
import io.patchbay.api.version.VersionScheme;
import io.patchbay.api.version.VersionSchemes;

class SourceSupportTest {
    private static final VersionScheme DEB = VersionSchemes.get("deb");

    private static UpdateDTO update(String from, String to) {
        UpdateDTO u = new UpdateDTO();
        u.id = "openssl";
        u.installedVersion = from;
        u.version = to;
        return u;
    }

    private static UpdateResultDTO result(UpdateDTO u) {
        return SourceSupport.result(u, u.installedVersion);
    }

    @Test
    void anInstallAimsAtTheNewVersionAndARollbackAtTheEarlierOne() {
        UpdateDTO u = update("3.0.11-1~deb12u1", "3.0.11-1~deb12u2");
        assertEquals("3.0.11-1~deb12u2", SourceSupport.aim(u, "openssl", "3.0.11-1~deb12u1", true, false, true, DEB,
                result(u)));
        assertEquals("3.0.11-1~deb12u1", SourceSupport.aim(u, "openssl", "3.0.11-1~deb12u2", true, true, true, DEB,
                result(u)));
        assertEquals("", SourceSupport.aim(update(null, null), "openssl", null, false, false, false, DEB,
                result(u)), "an install without a version aims at the candidate when that is allowed");
    }

    @Test
    void checksDecideTheUpdatesThatNeedNoPackageManager() {
        UpdateDTO u = update("1.0-1", "1.1-1");
        UpdateResultDTO done = result(u);
        assertNull(SourceSupport.aim(u, "openssl", "1.1-1", true, false, true, DEB, done));
        assertEquals(UpdateStatus.SUCCEEDED, done.status);
        assertTrue(done.message.contains("already installed"));

        UpdateResultDTO halfDone = result(u);
        assertEquals("1.1-1", SourceSupport.aim(u, "openssl", "1.1-1", false, false, true, DEB, halfDone),
                "a half-configured package is installed again");
        assertNull(halfDone.status);

        UpdateResultDTO older = result(u);
        assertNull(SourceSupport.aim(u, "openssl", "2.0-1", true, false, true, DEB, older));
        assertTrue(older.message.contains("use a rollback to downgrade"), older.message);

        UpdateResultDTO nothing = result(u);
        assertNull(SourceSupport.aim(update(null, "1.1-1"), "openssl", "1.1-1", true, true, true, DEB, nothing));
        assertTrue(nothing.message.contains("nothing to roll back to"), nothing.message);

        UpdateResultDTO absent = result(u);
        assertNull(SourceSupport.aim(u, "openssl", null, false, true, true, DEB, absent));
        assertTrue(absent.message.contains("is not installed"), absent.message);

        UpdateResultDTO invalid = result(u);
        assertNull(SourceSupport.aim(update("1.0-1", "latest"), "openssl", "1.0-1", true, false, true, DEB, invalid));
        assertTrue(invalid.message.contains("not a valid deb version"), invalid.message);

        UpdateResultDTO unnamed = result(u);
        assertNull(SourceSupport.aim(update("1.0-1", null), "openssl", "1.0-1", true, false, true, DEB, unnamed));
        assertEquals(UpdateStatus.FAILED, unnamed.status);
    }
}
