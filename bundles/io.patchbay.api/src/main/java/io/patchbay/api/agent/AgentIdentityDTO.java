package io.patchbay.api.agent;

import java.util.List;

/**
 * Who a machine is, as its agent reads it: sent at enrollment and with every check-in (as inventory). The hardware id
 * is what makes a machine enrolling again keep its device record.
 */
public class AgentIdentityDTO {
    /**
     * The machine's stable id: the SMBIOS system UUID where readable (Windows {@code Win32_ComputerSystemProduct.UUID},
     * macOS {@code IOPlatformUUID}, Linux {@code /sys/class/dmi/id/product_uuid}), otherwise Linux's
     * {@code /etc/machine-id}. Required at enrollment.
     */
    public String hardwareId;
    /** Linux {@code /etc/machine-id}, Windows {@code MachineGuid}; null when there is none. */
    public String machineId;
    /** The hardware serial number; null when unreadable. */
    public String serial;
    public String hostname;
    /** {@code windows}, {@code macos} or {@code linux}. */
    public String osFamily;
    /** e.g. {@code debian}, {@code rhel}, {@code Windows 11 Pro}, {@code macOS}. */
    public String osName;
    public String osVersion;
    /** As the OS names it: {@code amd64}, {@code x86_64}, {@code arm64}. */
    public String architecture;
    /** IANA zone, e.g. {@code Europe/Berlin}. */
    public String timeZone;
    /** The machine's IP addresses, as it sees them. */
    public List<String> addresses;
}
