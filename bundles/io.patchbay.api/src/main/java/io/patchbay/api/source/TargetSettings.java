package io.patchbay.api.source;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.WindowsUpdateDTO;
import io.patchbay.api.dto.WindowsUpdateSource;

/**
 * The settings that reach a source from the device's group and from the policy its job runs under, as typed values:
 * where Windows updates come from, and whether the device restarts after an install that needs it. The end of the
 * policy's maintenance window is the job's deadline ({@link JobContext#deadline()}), not a setting here.
 * <p>
 * A device in no group, or a job outside a policy run, gets the defaults of what is missing: Microsoft Update, and no
 * restart.
 */
public final class TargetSettings {
    private static final TargetSettings DEFAULTS = new TargetSettings(null, null, WindowsUpdateSource.MICROSOFT_UPDATE,
            null, RebootBehaviour.LEAVE_PENDING);

    private final String groupId;
    private final String policyId;
    private final WindowsUpdateSource windowsUpdateSource;
    private final URI wsusUrl;
    private final RebootBehaviour reboot;

    private TargetSettings(String groupId, String policyId, WindowsUpdateSource windowsUpdateSource, URI wsusUrl,
            RebootBehaviour reboot) {
        this.groupId = groupId;
        this.policyId = policyId;
        this.windowsUpdateSource = windowsUpdateSource;
        this.wsusUrl = wsusUrl;
        this.reboot = reboot;
    }

    /** No group and no policy: Microsoft Update, and no restart. */
    public static TargetSettings defaults() {
        return DEFAULTS;
    }

    /**
     * The settings of a device in {@code group} (null: in none) for a job run under {@code policy} (null: under
     * none), as the store keeps them.
     *
     * @throws IllegalArgumentException when the group's Windows update settings are not valid: an unknown source, a
     *         WSUS source without an http or https URL, or a URL with another source
     */
    public static TargetSettings of(GroupDTO group, PolicyDTO policy) {
        WindowsUpdateDTO windows = group == null || group.windowsUpdate == null ? new WindowsUpdateDTO()
                : group.windowsUpdate;
        WindowsUpdateSource source = WindowsUpdateSource.from(windows.source);
        URI wsus = null;
        if (source == WindowsUpdateSource.WSUS) {
            wsus = wsusUrl(windows.wsusUrl);
        } else if (windows.wsusUrl != null) {
            throw new IllegalArgumentException("a WSUS URL belongs to the Windows update source 'wsus', not '"
                    + source.value() + "'");
        }
        RebootBehaviour reboot = policy != null && policy.autoReboot ? RebootBehaviour.RESTART_WHEN_NEEDED
                : RebootBehaviour.LEAVE_PENDING;
        return new TargetSettings(group == null ? null : group.id, policy == null ? null : policy.id, source, wsus,
                reboot);
    }

    /**
     * A WSUS server's URL: http or https, with a host.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static URI wsusUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the Windows update source 'wsus' needs the WSUS server's URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "must be an http or https URL with a host, e.g. https://wsus.example.com:8531");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new IllegalArgumentException("port " + uri.getPort() + " is outside 1-65535");
        }
        return uri;
    }

    /** The device's group, if it is in one. */
    public Optional<String> groupId() {
        return Optional.ofNullable(groupId);
    }

    /** The policy the job runs under, if it runs under one (a policy run). */
    public Optional<String> policyId() {
        return Optional.ofNullable(policyId);
    }

    /** Where the device gets Windows updates; Windows sources honour it, others ignore it. */
    public WindowsUpdateSource windowsUpdateSource() {
        return windowsUpdateSource;
    }

    /** The WSUS server, present exactly when {@link #windowsUpdateSource()} is {@link WindowsUpdateSource#WSUS}. */
    public Optional<URI> wsusUrl() {
        return Optional.ofNullable(wsusUrl);
    }

    /** Whether the device restarts after an install that needs it. */
    public RebootBehaviour reboot() {
        return reboot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetSettings t && Objects.equals(groupId, t.groupId)
                && Objects.equals(policyId, t.policyId) && windowsUpdateSource == t.windowsUpdateSource
                && Objects.equals(wsusUrl, t.wsusUrl) && reboot == t.reboot;
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, policyId, windowsUpdateSource, wsusUrl, reboot);
    }

    @Override
    public String toString() {
        return "group " + groupId + ", policy " + policyId + ", Windows updates from " + windowsUpdateSource
                + (wsusUrl == null ? "" : " " + wsusUrl) + ", reboot " + reboot;
    }
}
