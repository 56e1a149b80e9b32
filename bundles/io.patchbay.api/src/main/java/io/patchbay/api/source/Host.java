package io.patchbay.api.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a source runs commands and reads files on a device: the server's own machine, or a device through its agent.
 * <p>
 * A host may be rooted in a folder ({@link #root()} other than {@code /}): file paths given to it are resolved
 * inside that folder, and a source passes the root to its package tool (e.g. {@code dpkg --root}, {@code
 * dnf --installroot}). Commands are run as given, with {@code LC_ALL=C} unless the command sets it.
 */
@ProviderType
public interface Host {

    /** The folder that stands for {@code /} on this device; {@code /} for a whole machine. */
    String root();

    /**
     * Runs a command and waits for it to end or for its timeout. An interrupted caller's command is killed.
     *
     * @throws IOException when the command cannot be started
     * @throws InterruptedException when the calling thread is interrupted; the command is killed
     */
    CommandResult run(Command command) throws IOException, InterruptedException;

    /** Reads a file as UTF-8 text; empty when it does not exist. The path is absolute on the device. */
    Optional<String> readFile(String path) throws IOException;

    /** Whether a file or folder exists. */
    boolean exists(String path) throws IOException;

    /** The names in a folder, sorted; empty when it does not exist. */
    List<String> list(String path) throws IOException;
}
