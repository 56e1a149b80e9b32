package io.patchbay.api.dto;

import java.util.List;

/** A group of devices and the policies assigned to it directly (never inherited). */
public class GroupDTO {
    public String id;
    public String name;
    public String description;
    /** Minutes between scans of the group's devices. */
    public int scanIntervalMinutes = 1440;
    /** Where the group's Windows devices get their updates; Microsoft Update unless set. */
    public WindowsUpdateDTO windowsUpdate = new WindowsUpdateDTO();
    /** Policies assigned to the group. */
    public List<String> policyIds;
    public long version;
}
