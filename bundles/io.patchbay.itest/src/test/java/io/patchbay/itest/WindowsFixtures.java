package io.patchbay.itest;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import io.patchbay.api.Devices;
import io.patchbay.api.HostProvider;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.source.Command;
import io.patchbay.api.source.CommandResult;
import io.patchbay.api.source.Host;

/**
 * A Windows device for tests on a Linux machine: its Host answers {@code reg query} of the Uninstall keys with text
 * in the format reg.exe prints (the format Microsoft documents), and runs nothing else.
 */
final class WindowsFixtures {
    static final String DEVICE = "win-01";

    static final String UNINSTALL_HKLM = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
            + "\\VLC media player\r\n"
            + "    DisplayIcon    REG_SZ    C:\\Program Files\\VideoLAN\\VLC\\vlc.exe\r\n"
            + "    DisplayName    REG_SZ    VLC media player\r\n"
            + "    DisplayVersion    REG_SZ    3.0.18\r\n"
            + "    Publisher    REG_SZ    VideoLAN\r\n"
            + "    UninstallString    REG_SZ    \"C:\\Program Files\\VideoLAN\\VLC\\uninstall.exe\"\r\n\r\n";

    private WindowsFixtures() {
    }

    static DeviceDTO device() {
        DeviceDTO d = new DeviceDTO();
        d.id = DEVICE;
        d.hostname = "WIN-01";
        d.osFamily = "windows";
        d.osName = "Windows 11 Pro";
        d.osVersion = "10.0.22631";
        d.architecture = "amd64";
        d.timeZone = "Europe/Berlin";
        return d;
    }

    /** The fixture host; {@code delayMillis} makes each registry query slow, to catch a scan in progress. */
    static final class RegistryHost implements Host {
        volatile long delayMillis;

        @Override
        public String root() {
            return "/";
        }

        @Override
        public CommandResult run(Command command) throws IOException, InterruptedException {
            List<String> argv = command.argv();
            if (argv.size() == 4 && argv.get(0).equals("reg") && argv.get(1).equals("query")) {
                Thread.sleep(delayMillis);
                return argv.get(2).startsWith("HKLM\\SOFTWARE\\Microsoft")
                        ? new CommandResult(0, UNINSTALL_HKLM, "", false)
                        : new CommandResult(1, "", "ERROR: The system was unable to find the specified registry key "
                                + "or value.\r\n", false);
            }
            throw new IOException("Cannot run program \"" + argv.get(0) + "\" on the Windows fixture");
        }

        @Override
        public Optional<String> readFile(String path) {
            return Optional.empty();
        }

        @Override
        public boolean exists(String path) {
            return false;
        }

        @Override
        public List<String> list(String path) {
            return List.of();
        }
    }

    /** The devices the server knows, with the Windows fixture added. */
    static final class WithWindows implements Devices {
        private final Devices others;

        WithWindows(Devices others) {
            this.others = others;
        }

        @Override
        public List<DeviceDTO> list() {
            List<DeviceDTO> all = new java.util.ArrayList<>(others.list());
            all.add(device());
            return all;
        }

        @Override
        public Optional<DeviceDTO> get(String id) {
            return DEVICE.equals(id) ? Optional.of(device()) : others.get(id);
        }
    }

    static HostProvider hostProvider(RegistryHost host) {
        return device -> DEVICE.equals(device.id) ? Optional.of(host) : Optional.empty();
    }
}
