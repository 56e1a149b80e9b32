package io.patchbay.store.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.patchbay.api.JobListener;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.JobDTO;
import io.patchbay.api.dto.JobKind;
import io.patchbay.api.dto.UpdateStatus;

/**
 * Marks a stored device whose install needs a reboot (the queue has recorded the job and its results when it ended).
 */
@Component(service = JobListener.class)
public class PendingReboots implements JobListener {
    private final Documents<DeviceDTO> storedDevices;

    @Activate
    public PendingReboots(@Reference Database db, @Reference StoreClock clock) {
        this.storedDevices = Documents.devices(db, clock);
    }

    @Override
    public void jobEnded(JobDTO job) {
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
