package io.patchbay.api.dto;

/** Where a group's Windows devices get their updates. */
public class WindowsUpdateDTO {
    /** A {@link WindowsUpdateSource} value: {@code microsoft-update}, {@code wsus} or {@code keep-device-settings}. */
    public String source = WindowsUpdateSource.MICROSOFT_UPDATE.value();
    /** With {@code wsus} only, and then required: the WSUS server's http or https URL. */
    public String wsusUrl;
}
