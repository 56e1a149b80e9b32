package io.patchbay.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.patchbay.api.Devices;
import io.patchbay.api.HostProvider;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.source.Host;

/**
 * The server's own machine as a managed device, reachable through a {@link LocalHost}. With a root folder configured
 * it stands for a device image inside that folder, which is how the sources are tested against real package tools.
 */
@Component(service = { Devices.class, HostProvider.class }, configurationPid = LocalDevice.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = Constants.SERVICE_RANKING + ":Integer=-100")
@Designate(ocd = LocalDevice.Config.class)
public class LocalDevice implements Devices, HostProvider {
    static final String PID = "io.patchbay.core.localdevice";
    private static final Logger LOG = LoggerFactory.getLogger(LocalDevice.class);

    @ObjectClassDefinition(name = "Patchbay local device",
            description = "The server's own machine, managed like any device")
    public @interface Config {
        @AttributeDefinition(description = "Device id")
        String id() default "local";

        @AttributeDefinition(description = "Folder that stands for / on the device")
        String root() default "/";
    }

    private record State(DeviceDTO device, LocalHost host) {
    }

    // replaced whole on reconfiguration, so the device stays available while it changes
    private volatile State state;

    @Activate
    public LocalDevice(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        LocalHost host = new LocalHost(Path.of(config.root()));
        DeviceDTO device = describe(config.id(), host);
        state = new State(device, host);
        LOG.info("Local device '{}' ({} {} {}) rooted at {}", device.id, device.osFamily, device.osName,
                device.osVersion, host.root());
    }

    @Override
    public List<DeviceDTO> list() {
        return List.of(copy());
    }

    @Override
    public Optional<DeviceDTO> get(String id) {
        return state.device.id.equals(id) ? Optional.of(copy()) : Optional.empty();
    }

    @Override
    public Optional<Host> hostFor(DeviceDTO d) {
        State s = state;
        return s.device.id.equals(d.id) ? Optional.of(s.host) : Optional.empty();
    }

    private DeviceDTO copy() {
        DeviceDTO device = state.device;
        DeviceDTO c = new DeviceDTO();
        c.id = device.id;
        c.hostname = device.hostname;
        c.osFamily = device.osFamily;
        c.osName = device.osName;
        c.osVersion = device.osVersion;
        c.architecture = device.architecture;
        c.timeZone = device.timeZone;
        return c;
    }

    static DeviceDTO describe(String id, Host host) {
        DeviceDTO d = new DeviceDTO();
        d.id = id;
        d.hostname = hostname();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        d.osFamily = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : "linux";
        d.osName = System.getProperty("os.name");
        d.osVersion = System.getProperty("os.version");
        if (d.osFamily.equals("linux")) {
            Map<String, String> release = osRelease(host);
            d.osName = release.getOrDefault("ID", d.osName);
            d.osVersion = release.getOrDefault("VERSION_ID", d.osVersion);
        }
        d.architecture = System.getProperty("os.arch");
        d.timeZone = ZoneId.systemDefault().getId();
        return d;
    }

    /** The fields of /etc/os-release (freedesktop.org format), unquoted. */
    static Map<String, String> osRelease(Host host) {
        try {
            Optional<String> text = host.readFile("/etc/os-release");
            if (text.isEmpty()) {
                text = host.readFile("/usr/lib/os-release");
            }
            return text.map(t -> t.lines().map(String::strip).filter(l -> l.contains("=") && !l.startsWith("#"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                            l -> unquote(l.substring(l.indexOf('=') + 1)), (a, b) -> b)))
                    .orElse(Map.of());
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
