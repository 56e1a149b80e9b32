package io.patchbay.api.dto;

/** What a job asks a source to do on a device. */
public enum JobKind {
    SCAN,
    INSTALL,
    ROLLBACK
}
