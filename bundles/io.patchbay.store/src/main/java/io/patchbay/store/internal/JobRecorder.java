package io.patchbay.store.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.Devices;
import io.patchbay.api.JobListener;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.UpdateStatus;

/**
 * Records every job that ends ({@link JobRecords}), and marks a stored device whose install needs a reboot. Ranked
 * lowest: the core tells listeners one after the other, lowest first, so a run hears of a job once it is recorded.
 */
@Component(service = JobListener.class, property = "service.ranking:Integer=-1000")
public class JobRecorder implements JobListener {
    private final Database db;
    private final Clock clock;
    private final JobRecords records;
    private final Documents<DeviceDTO> storedDevices;

    // the highest-ranked device directory, which follows the store's own and every other
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Devices devices;

    @Activate
    public JobRecorder(@Reference Database db, @Reference StoreClock clock) {
        this.db = db;
        this.clock = clock;
        this.records = new JobRecords(db);
        this.storedDevices = Documents.devices(db, clock);
    }

    @Override
    public void jobEnded(JobDTO job) {
        String os = devices.get(job.deviceId).map(d -> d.osFamily).orElse(null);
        db.transaction(c -> {
            Timestamp ended = Timestamp.from(job.endedAt == null ? clock.instant() : job.endedAt);
            records.record(c, job, os, ended);
            return null;
        });
        if (job.kind == JobKind.INSTALL && job.results != null && job.results.stream()
                .anyMatch(r -> r.status == UpdateStatus.SUCCEEDED && r.rebootRequired)) {
            markPendingReboot(job.deviceId);
        }
    }

    /** A stored device whose update needs a reboot is marked so until it reports otherwise. */
    private void markPendingReboot(String deviceId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceDTO> d = storedDevices.get(deviceId);
            if (d.isEmpty() || d.get().pendingReboot) {
                return;
            }
            d.get().pendingReboot = true;
            try {
                storedDevices.update(deviceId, d.get(), d.get().version, "patchbay");
                return;
            } catch (io.patchbay.api.ConflictException e) {
                // changed meanwhile by someone else: read it again
            }
        }
    }
}
