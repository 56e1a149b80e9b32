package io.patchbay.run.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;

/** The server's own logback.xml, given exceptions whose messages try to forge log lines. */
class EscapedThrowableConverterTest {
    @TempDir
    Path data;

    @Test
    void exceptionMessagesCannotForgeLogLinesAndFramesStayOneALine() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        String dataProperty = System.getProperty("patchbay.data");
        System.setProperty("patchbay.data", data.toString());
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            URL config = getClass().getClassLoader().getResource("logback.xml");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            IllegalStateException cause = new IllegalStateException("cause\nFAKE ERROR forged by the cause");
            RuntimeException logged = new RuntimeException("device 'x\r\nFAKE 12:00:00.000 INFO forged'", cause);
            logged.addSuppressed(new IllegalArgumentException("suppressed\u2028FAKE forged by a suppressed one"));
            context.getLogger("io.patchbay.test").error("a job failed", logged);
            List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() >= Status.WARN).toList();
            assertEquals(List.of(), problems, "logback.xml configures and logs without warnings");
        } finally {
            context.stop();
            System.setOut(systemOut);
            if (dataProperty == null) {
                System.clearProperty("patchbay.data");
            } else {
                System.setProperty("patchbay.data", dataProperty);
            }
        }

        String file = Files.readString(data.resolve("logs/patchbay.log"), StandardCharsets.UTF_8);
        for (String output : List.of(file, console.toString(StandardCharsets.UTF_8))) {
            assertTrue(output.contains("RuntimeException: device 'x\\r\\nFAKE 12:00:00.000 INFO forged'"), output);
            assertTrue(output.contains("Caused by: java.lang.IllegalStateException: cause\\nFAKE ERROR"), output);
            assertTrue(output.contains("IllegalArgumentException: suppressed?FAKE"), output);
            assertFalse(output.lines().anyMatch(l -> l.startsWith("FAKE")), output);
            assertTrue(output.lines().filter(l -> l.startsWith("\tat ")).count() > 1, "one frame a line:\n" + output);
        }
    }

    @Test
    void lineBreaksAndControlCharactersAreEscapedAsInMessages() {
        assertEquals("a\\r\\nb?c\td?e", EscapedThrowableConverter.escape("a\r\nb\u0007c\td\u2029e"));
    }
}
