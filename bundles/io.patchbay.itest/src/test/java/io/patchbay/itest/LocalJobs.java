package io.patchbay.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.patchbay.api.Jobs;
import io.patchbay.api.Sources;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.JobRequestDTO;
import io.patchbay.api.dto.UpdateDTO;
import io.patchbay.api.dto.UpdateResultDTO;

/** Jobs on the server's own device with one source, run to their end: what the source tests do over and over. */
final class LocalJobs {
    private LocalJobs() {
    }

    static JobDTO run(Jobs jobs, Sources sources, String sourceId, JobKind kind, List<UpdateDTO> updates)
            throws InterruptedException {
        Await.until("source " + sourceId, Duration.ofSeconds(20), () -> sources.source(sourceId).orElse(null));
        JobRequestDTO r = new JobRequestDTO();
        r.kind = kind;
        r.deviceId = "local";
        r.sourceId = sourceId;
        r.updates = updates;
        JobDTO done = jobs.await(jobs.submit(r).id, Duration.ofSeconds(180)).orElseThrow();
        assertTrue(done.state.isFinal(), "job still " + done.state);
        return done;
    }

    static UpdateDTO update(String id, String name, String from, String to) {
        UpdateDTO u = new UpdateDTO();
        u.id = id;
        u.name = name;
        u.installedVersion = from;
        u.version = to;
        return u;
    }

    /** The job's results by a key made from each update id. */
    static Map<String, UpdateResultDTO> results(JobDTO job, Function<String, String> key) {
        return job.results.stream().collect(Collectors.toMap(r -> key.apply(r.updateId), Function.identity()));
    }
}
