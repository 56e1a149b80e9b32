package io.patchbay.api.dto;

import java.util.List;

/** A run as the store keeps it, with what its orchestration needs to carry on: see {@code RunRecords}. */
public class RunRecordDTO {
    public RunDTO run;
    /** The jobs the run handed over and the jobs whose end it has handled, in the order they were noted. */
    public List<RunJobDTO> jobs;
    /** Why a step of the run could not start, or null. */
    public String failure;

    /** One job the run knows of. */
    public static class RunJobDTO {
        public String jobId;
        /** The job this one follows (an install after its scan), or null. */
        public String follows;
        /** Whether the run has handled the job's end: its next step is submitted, or none is due. */
        public boolean handled;
    }
}
