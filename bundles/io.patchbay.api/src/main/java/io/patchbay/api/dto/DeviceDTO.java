package io.patchbay.api.dto;

/** A managed machine, as the core and the sources see it. */
public class DeviceDTO {
    /** Stable identifier of the device. */
    public String id;
    public String hostname;
    /** {@code windows}, {@code macos} or {@code linux}. */
    public String osFamily;
    /** Distribution or product name, e.g. {@code debian}, {@code rhel}, {@code Windows 11 Pro}. */
    public String osName;
    public String osVersion;
    /** Processor architecture as the OS names it, e.g. {@code amd64}, {@code x86_64}, {@code arm64}. */
    public String architecture;
    /** IANA time zone, e.g. {@code Europe/Berlin}; schedules run in this zone. */
    public String timeZone;
}
