package io.patchbay.api.dto;

/**
 * The settings a job's target gets from its device's group and its run's policy, as an agent receives them with a
 * claim, so its sources see the same settings as the server's own would.
 */
public class TargetSettingsDTO {
    /** A {@link WindowsUpdateSource} value: {@code microsoft-update}, {@code wsus} or {@code keep-device-settings}. */
    public String windowsUpdateSource;
    /** With {@code wsus} only: the WSUS server's http or https URL. */
    public String wsusUrl;
    /** A {@code RebootBehaviour} name: {@code RESTART_WHEN_NEEDED} or {@code LEAVE_PENDING}. */
    public String reboot;
    /** The device's group, if it has one. */
    public String groupId;
    /** The policy of the job's run, if it belongs to one. */
    public String policyId;
}
