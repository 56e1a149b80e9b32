package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/** Jobs cannot take unbounded memory: updates per job and jobs not yet ended per device are limited. */
@ExtendWith(JobsCleanup.class)
class JobLimitsIT {
    /** The defaults of the io.patchbay.core configuration. */
    static final int MAX_UPDATES_PER_JOB = 1000;
    static final int MAX_PENDING_JOBS_PER_DEVICE = 100;

    @Test
    void aJobWithMoreUpdatesThanAllowedIsRefusedNamingUpdates() throws Exception {
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i <= MAX_UPDATES_PER_JOB; i++) {
            updates.append(i == 0 ? "" : ",").append("{\"id\":\"pkg").append(i).append("\"}");
        }
        Http.Answer refused = Http.post("/jobs", "{\"kind\":\"INSTALL\",\"deviceId\":\"local\","
                + "\"sourceId\":\"nowhere\",\"updates\":[" + updates + "]}");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals("updates", refused.json().get("field").asText());
        assertTrue(refused.json().get("detail").asText().contains("at most " + MAX_UPDATES_PER_JOB),
                refused.body());
    }

    @Test
    void aDeviceWithTooManyJobsNotYetEndedGets429UntilSomeEnd() throws Exception {
        String scan = "{\"kind\":\"SCAN\",\"deviceId\":\"local\",\"sourceId\":\"nowhere\"}";
        Http.Answer last = null;
        int accepted = 0;
        for (int i = 0; i <= MAX_PENDING_JOBS_PER_DEVICE; i++) {
            last = Http.post("/jobs", scan);
            if (last.status() != 201) {
                break;
            }
            accepted++;
        }
        assertTrue(accepted <= MAX_PENDING_JOBS_PER_DEVICE, accepted + " jobs were accepted");
        assertEquals(429, last.status(), last.body());
        assertTrue(last.contentType().startsWith("application/problem+json"), last.contentType());
        JsonNode problem = last.json();
        assertTrue(problem.get("detail").asText().contains("device 'local'"), last.body());

        new JobsCleanup().afterEach(null);
        assertEquals(201, Http.post("/jobs", scan).status(), "accepted again once the waiting jobs ended");
    }
}
