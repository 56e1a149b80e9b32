package io.patchbay.run.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The first admin token is written for the server's user only, and a new one can be had by starting with a switch. */
class FirstTokenTest {
    private static int status(Server server, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri("/devices")).timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void theFirstTokenIsTheUsersOnlyAndTheSwitchWritesANewOne() throws Exception {
        try (Server server = new Server("first-token", "-Dpatchbay.security.newAdminToken=true")) {
            server.start();
            String first = server.adminToken();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    server.data().resolve("first-admin-token"))));
            assertEquals(401, status(server, null));
            assertEquals(200, status(server, first));
            assertFalse(server.log().contains(first), "the log never has the token");
            server.terminate(Duration.ofSeconds(60));

            server.start();
            long until = System.nanoTime() + Server.START_LIMIT.toNanos();
            String second = server.adminToken();
            // the old file serves the start-up checks until the new token replaces it
            while (first.equals(second) && System.nanoTime() < until) {
                Thread.sleep(100);
                second = server.adminToken();
            }
            assertNotEquals(first, second, "the switch wrote a new admin token");
            assertEquals(200, status(server, second));
            assertEquals(200, status(server, first), "the first one still works until it is revoked");
        }
    }
}
