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
    /** Set by the agent: the hardware id it enrolled with (SMBIOS UUID or machine-id). */
    public String hardwareId;
    /** Set by the agent: the hardware serial number. */
    public String serial;
    /** Set by the agent at check-in: its version. */
    public String agentVersion;
    /** Set by the agent at check-in: when the machine last booted. */
    public java.time.Instant bootTime;
    /** When the device's agent enrolled; null for a device registered by hand. */
    public java.time.Instant enrolledAt;
    /**
     * Set when another machine claims this device's identity (same hardware id while this one is active, or a copy
     * of its disk checking in with its secret): says which, and when. Cleared by an operator.
     */
    public String identityConflict;
    /** Optimistic-locking version, increased by every change; sent back as the ETag. */
    public long version;
}
