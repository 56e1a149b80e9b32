package io.patchbay.api.dto;

import java.time.Instant;

/** Who changed what, and when. */
public class AuditEntryDTO {
    public long id;
    public Instant at;
    public String actor;
    /** {@code create}, {@code update} or {@code delete}. */
    public String action;
    /** {@code device}, {@code group}, {@code policy}, {@code block-rule}. */
    public String entity;
    public String entityId;
    /** The entity as it is after the change, as JSON; null after a delete. */
    public String after;
}
