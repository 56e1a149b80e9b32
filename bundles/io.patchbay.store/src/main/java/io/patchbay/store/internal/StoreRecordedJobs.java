package io.patchbay.store.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.RecordedJobs;
import io.patchbay.api.dto.JobDTO;

/** Ended jobs as {@link JobRecords} keeps them, for the job engine to answer for jobs it no longer holds. */
@Component(service = RecordedJobs.class)
public class StoreRecordedJobs implements RecordedJobs {
    private final Database db;
    private final JobRecords records;

    @Activate
    public StoreRecordedJobs(@Reference Database db) {
        this.db = db;
        this.records = new JobRecords(db);
    }

    @Override
    public Optional<JobDTO> get(String jobId) {
        return records.get(jobId);
    }

    @Override
    public List<JobDTO> ofRun(String runId) {
        return db.transaction(c -> new ArrayList<>(JobRecords.ofRun(c, runId).values()));
    }
}
