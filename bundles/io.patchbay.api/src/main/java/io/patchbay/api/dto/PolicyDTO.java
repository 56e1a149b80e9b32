package io.patchbay.api.dto;

import java.util.List;

/** A patch policy: which updates, when, and how users are told and devices rebooted. */
public class PolicyDTO {
    public String id;
    public String name;
    public String description;
    /** {@code patch-all}, {@code patch-all-except}, {@code patch-only} or {@code advanced}. */
    public String type;
    /** patch-all-except: update ids, KBs or name patterns left out. */
    public List<String> exclusions;
    /** patch-only: update ids, KBs or name patterns included. */
    public List<String> inclusions;
    /** advanced: source types; empty means all. */
    public List<String> sources;
    /** advanced: {@code critical}, {@code important}, {@code moderate}, {@code low}, {@code unspecified}. */
    public List<String> severities;
    /** advanced: e.g. {@code security}, {@code bugfix}, {@code application}. */
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
    public boolean autoReboot;
    public boolean enabled = true;
    public long version;
}
