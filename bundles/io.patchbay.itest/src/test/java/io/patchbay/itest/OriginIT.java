package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Until authentication exists, the API answers only requests addressed to this server by name: a page on another
 * origin whose DNS name is rebound to this machine gets 421, not the data.
 */
class OriginIT {
    private static URI base;

    @BeforeAll
    static void ready() throws Exception {
        Http.awaitReady();
        base = URI.create(Http.api());
    }

    /** A raw HTTP/1.1 request with the Host header given, which the JDK's client would not let us set. */
    private static String request(String method, String path, String host) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + base.getPath() + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + "Authorization: " + Http.bearer() + "\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    @Test
    void aRequestForAnotherHostNameIsRefusedWith421() throws Exception {
        String answer = request("GET", "/devices", "attacker.example.com");
        assertEquals(421, status(answer), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        assertTrue(answer.contains("attacker.example.com"), "the detail names the host: " + answer);
        assertTrue(answer.contains("\"field\":\"Host\""), answer);
        String write = request("POST", "/blocklist", "attacker.example.com:" + base.getPort());
        assertEquals(421, status(write), write);
    }

    @Test
    void loopbackNamesAreAnswered() throws Exception {
        for (String host : new String[] { "localhost:" + base.getPort(), "127.0.0.1:" + base.getPort(),
                "[::1]:" + base.getPort(), "LOCALHOST" }) {
            String answer = request("GET", "/health", host);
            assertEquals(200, status(answer), host + ": " + answer);
        }
    }

    @Test
    void namesListedByTheOperatorAreAnswered() throws Exception {
        assertEquals(421, status(request("GET", "/health", "patchbay.example.org")));
        System.setProperty("patchbay.http.allowedHosts", "console.example.org, patchbay.example.org");
        try {
            String answer = request("GET", "/health", "patchbay.example.org:8080");
            assertEquals(200, status(answer), answer);
        } finally {
            System.clearProperty("patchbay.http.allowedHosts");
        }
        assertEquals(421, status(request("GET", "/health", "patchbay.example.org")));
    }
}
