package io.patchbay.runs.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobState;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.dto.RunRecordDTO;
import io.patchbay.api.dto.RunRecordDTO.RunJobDTO;

/**
 * A run's state, derived from its jobs as the job engine has them and from what the run noted of them. A run is
 * RUNNING while a job is under way or a job ended whose next step the run has not handled yet (before its deadline);
 * it is INTERRUPTED, never SUCCEEDED, while jobs it handed over are unknown to the engine (lost in a stop).
 */
final class RunState {
    static final String RUNNING = "RUNNING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String FAILED = "FAILED";
    static final String PARTIAL = "PARTIAL";
    static final String INTERRUPTED = "INTERRUPTED";

    private RunState() {
    }

    /** The run of the record with {@code state}, {@code reason} and {@code jobStates} set from its jobs. */
    static RunDTO of(RunRecordDTO record, List<JobDTO> jobs, Instant now) {
        RunDTO run = record.run;
        Map<String, JobDTO> byId = new HashMap<>();
        Map<String, Integer> states = new TreeMap<>();
        Set<String> retried = new HashSet<>();
        for (JobDTO j : jobs) {
            byId.put(j.id, j);
            states.merge(j.state.name(), 1, Integer::sum);
            if (j.retryOf != null) {
                retried.add(j.retryOf);
            }
        }
        Map<String, RunJobDTO> noted = new HashMap<>();
        int unknown = 0;
        for (RunJobDTO n : record.jobs == null ? List.<RunJobDTO>of() : record.jobs) {
            noted.put(n.jobId, n);
            unknown += byId.containsKey(n.jobId) ? 0 : 1;
        }
        run.jobStates = states;
        run.reason = null;
        boolean underWay = jobs.stream().anyMatch(j -> !j.state.isFinal());
        boolean nextStepDue = now.isBefore(run.deadline) && jobs.stream()
                .anyMatch(j -> j.state.isFinal() && !(noted.containsKey(j.id) && noted.get(j.id).handled));
        List<JobDTO> outcomes = jobs.stream().filter(j -> !retried.contains(j.id)).toList();
        if (underWay) {
            run.state = RUNNING;
        } else if (unknown > 0) {
            run.state = INTERRUPTED;
            run.reason = unknown + " job(s) of this run were queued or running when the server stopped; what they "
                    + "did is not known";
        } else if (nextStepDue) {
            run.state = RUNNING;
        } else if (record.failure != null) {
            run.state = FAILED;
            run.reason = record.failure;
        } else if (outcomes.isEmpty()) {
            run.state = FAILED;
            run.reason = "the run has no jobs: no source present serves its devices";
        } else {
            long ok = outcomes.stream().filter(j -> j.state == JobState.SUCCEEDED).count();
            run.state = ok == outcomes.size() ? SUCCEEDED : ok == 0 ? FAILED : PARTIAL;
        }
        return run;
    }
}
