package io.patchbay.api.dto;

/** An update known from scans, with the number of devices that miss it. */
public class UpdateSummaryDTO {
    public String sourceId;
    public String sourceType;
    public String updateId;
    public String title;
    public String kb;
    public String severity;
    public String classification;
    /** The OS family of the devices counted. */
    public String osFamily;
    public int impactedDevices;
    /** Where the impacted devices are listed. */
    public String devices;
}
