package io.patchbay.api.dto;

import java.util.List;
import java.util.Optional;

/**
 * Where a group's Windows devices get their updates ({@link WindowsUpdateDTO#source}).
 * <p>
 * DTO fields keep the spelling of {@link #value()}, as JSON does; {@link #from(String)} reads it back.
 */
public enum WindowsUpdateSource {
    /** From Microsoft Update over the internet. */
    MICROSOFT_UPDATE("microsoft-update"),
    /** From the WSUS server at {@link WindowsUpdateDTO#wsusUrl}. */
    WSUS("wsus"),
    /** From wherever the device is set up to get them (group policy, its own settings); Patchbay does not change it. */
    KEEP_DEVICE_SETTINGS("keep-device-settings");

    private final String value;

    WindowsUpdateSource(String value) {
        this.value = value;
    }

    /** The spelling in JSON, in the store and in DTO fields. */
    public String value() {
        return value;
    }

    /**
     * The Windows update source spelled {@code value}.
     *
     * @throws IllegalArgumentException naming the value and the allowed values, when it is none of them
     */
    public static WindowsUpdateSource from(String value) {
        return Vocabulary.from(WindowsUpdateSource.class, WindowsUpdateSource::value, "Windows update source", value);
    }

    /** The value spelled {@code value}, or empty when it is none: for readers that fall back to a default. */
    public static Optional<WindowsUpdateSource> find(String value) {
        return Vocabulary.find(WindowsUpdateSource.class, WindowsUpdateSource::value, value);
    }

    /** Every allowed spelling, in declaration order. */
    public static List<String> allowed() {
        return Vocabulary.allowed(WindowsUpdateSource.class, WindowsUpdateSource::value);
    }

    @Override
    public String toString() {
        return value;
    }
}
