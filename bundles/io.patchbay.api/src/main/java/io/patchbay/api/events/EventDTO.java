package io.patchbay.api.events;

import java.time.Instant;

/**
 * One event. Sent over {@code GET /api/v1/events} as server-sent events: {@code id:} is {@link #id}, {@code event:} is
 * {@link #type}, {@code data:} is this object as JSON.
 */
public class EventDTO {
    /** Increasing across the whole deployment (every node); what {@code Last-Event-ID} names. */
    public long id;
    /** {@code job}, {@code run}, {@code device}, {@code source}, {@code block-list} or {@code audit}. */
    public String type;
    /** What happened, e.g. {@code queued}, {@code running}, {@code ended}, {@code created}, {@code updated}, {@code deleted}, {@code drained}. */
    public String action;
    public Instant at;
    /** The entity's id (job id, run id, device id, source id, block rule id, audit entry id). */
    public String subject;
    /** Set when the event concerns a device (job and device events). */
    public String deviceId;
    /** The device's group, when known. */
    public String groupId;
    /** Set when the event concerns a run (run events, and job events of a run's jobs). */
    public String runId;
    /** The entity as the API shows it (a JobDTO, RunDTO, DeviceDTO, SourceDTO, BlockRuleDTO, AuditEntryDTO), as JSON. */
    public Object data;
}
