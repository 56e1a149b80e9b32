package io.patchbay.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.PageDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;

/**
 * Runs as the store keeps them: the run, the jobs it handed over and which of their ends it has handled, and why a
 * step could not start. For platform bundles (the run orchestration); the REST API and plugins use {@link Runs}.
 */
@ProviderType
public interface RunRecords {
    /** Stores a new run, with its audit entry under {@code actor}, in one transaction. */
    void create(RunDTO run, String actor);

    Optional<RunRecordDTO> get(String id);

    /** The run alone, without the jobs it noted: what carrying on after one job needs. */
    Optional<RunDTO> run(String id);

    /** The job noted as following {@code jobId} (the install after a scan), if there is one. */
    Optional<String> follower(String jobId);

    /** Runs, newest first; {@code name} filters by a part of the name, case-insensitive. */
    PageDTO<RunRecordDTO> page(String name, String cursor, int limit);

    /** Runs whose deadline is after {@code now}, oldest first: those whose jobs may still need a next step. */
    List<RunRecordDTO> openAt(Instant now);

    /**
     * Notes jobs the run handed to the job engine, each with the job it follows (or null); a job noted already is
     * left as it is.
     */
    void handedOver(String runId, List<String> jobIds, String follows);

    /**
     * Notes that the run has handled the end of a job (submitted its next step, or found none is due); a job of the
     * run it did not hand over (one that joined the run) is noted as well.
     */
    void handled(String runId, String jobId);

    /** Why a step of the run could not start; the first reason is kept. */
    void failed(String runId, String reason);
}
