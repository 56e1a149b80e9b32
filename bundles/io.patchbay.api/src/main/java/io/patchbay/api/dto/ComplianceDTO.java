package io.patchbay.api.dto;

import java.util.List;

/** Device compliance, per group and overall, leaving out devices excluded from reports. */
public class ComplianceDTO {
    /** Counts for one group, or for all devices. */
    public static class Counts {
        public String groupId;
        public String groupName;
        public int devices;
        public int compliant;
        public int missingCritical;
        public int missingAny;
        /** Never scanned. */
        public int unknown;
    }

    public Counts overall;
    public List<Counts> groups;
}
