package io.patchbay.api.dto;

import java.util.List;

/** A patch policy: which updates, when, and how users are told and devices rebooted. */
public class PolicyDTO {
    public String id;
    public String name;
    public String description;
    /** A {@link PolicyType} value: {@code patch-all}, {@code patch-all-except}, {@code patch-only}, ... */
    public String type;
    /** patch-all-except: update ids, KBs or name patterns left out. */
    public List<String> exclusions;
    /** patch-only: update ids, KBs or name patterns included. */
    public List<String> inclusions;
    /** advanced: source types or source instance ids (an update matches either); empty means all. */
    public List<String> sources;
    /** advanced: {@link Severity} values ({@code critical}, {@code important}, ...); empty means all. */
    public List<String> severities;
    /** advanced: {@link Classification} values, e.g. {@code security}, {@code bugfix}; empty means all. */
    public List<String> classifications;
    /** advanced: name or KB pattern with {@code *} and {@code ?}. */
    public String namePattern;
    /** advanced: only updates released at least this many days ago. */
    public Integer minAgeDays;
    public ScheduleDTO schedule;
    /** A device that was offline during its window is patched at its next check-in. */
    public boolean patchMissedAtNextCheckIn;
    public boolean notifyBeforeInstall;
    public boolean notifyBeforeReboot;
    /** How many times a user may defer, and for how long each time. */
    public int maxDeferrals;
    public int deferralHours;
    /** Devices restart by themselves after an install that needs it; otherwise the restart is left pending. */
    public boolean autoReboot;
    public boolean enabled = true;
    public long version;
}
