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
    /** The group whose policies apply to the device; null when it is in none. */
    public String groupId;
    public java.util.List<String> tags;
    /** When the device last checked in; null when it never did. */
    public java.time.Instant lastCheckIn;
    /** {@code online}, {@code offline} or {@code unknown}. */
    public String connection;
    public boolean pendingReboot;
    /** Still patched by its group's policies, but left out of every report. */
    public boolean excludedFromReports;
    /** Set on read: the device's group has no policies (or it has no group). */
    public boolean unmanaged;
    /** Optimistic-locking version, increased by every change; sent back as the ETag. */
    public long version;
}
