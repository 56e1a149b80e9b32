package io.patchbay.source.catalog.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;
import io.patchbay.api.source.Host;

/**
 * A device made of fixtures: files from a folder, and recorded answers for commands (such as {@code reg query}),
 * following the formats the platforms document. Commands without an answer fail as a missing program would.
 */
final class FixtureHost implements Host {
    private final Path folder;
    private final Map<String, CommandResult> answers = new HashMap<>();
    final List<List<String>> ran = new ArrayList<>();

    FixtureHost(Path folder) {
        this.folder = folder;
    }

    FixtureHost answer(String commandLine, int exit, String stdout) {
        answers.put(commandLine, new CommandResult(exit, stdout, "", false));
        return this;
    }

    @Override
    public String root() {
        return folder.toString();
    }

    @Override
    public CommandResult run(Command command) throws IOException {
        ran.add(command.argv());
        CommandResult r = answers.get(String.join(" ", command.argv()));
        if (r == null) {
            throw new IOException("Cannot run program \"" + command.argv().get(0) + "\": not on this device");
        }
        return r;
    }

    @Override
    public Optional<String> readFile(String path) throws IOException {
        Path p = folder.resolve(path.substring(1));
        return Files.isRegularFile(p) ? Optional.of(Files.readString(p, StandardCharsets.UTF_8)) : Optional.empty();
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(folder.resolve(path.substring(1)));
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path p = folder.resolve(path.substring(1));
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
