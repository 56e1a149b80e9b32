package io.patchbay.api.source;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A command line to run on a {@link Host}, with its environment, standard input and time limit. */
public final class Command {
    private final List<String> argv;
    private final Map<String, String> environment;
    private final String stdin;
    private final Duration timeout;

    private Command(List<String> argv, Map<String, String> environment, String stdin, Duration timeout) {
        this.argv = argv;
        this.environment = environment;
        this.stdin = stdin;
        this.timeout = timeout;
    }

    /** A command with no extra environment, no input and a 10 minute limit. */
    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    public static Command of(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv: a command needs at least the program name");
        }
        argv.forEach(a -> Objects.requireNonNull(a, "argv: null argument"));
        return new Command(List.copyOf(argv), Map.of(), null, Duration.ofMinutes(10));
    }

    /** This command with one more environment variable. */
    public Command env(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new Command(argv, Collections.unmodifiableMap(env), stdin, timeout);
    }

    /** This command with text fed to its standard input. */
    public Command stdin(String text) {
        return new Command(argv, environment, text, timeout);
    }

    /** This command with another time limit; it is killed when the limit passes. */
    public Command timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + limit);
        }
        return new Command(argv, environment, stdin, limit);
    }

    public List<String> argv() {
        return argv;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public String stdin() {
        return stdin;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
