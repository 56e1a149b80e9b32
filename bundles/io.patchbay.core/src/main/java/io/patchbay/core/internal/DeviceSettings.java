package io.patchbay.core.internal;

import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import io.patchbay.api.Groups;
import io.patchbay.api.Policies;
import io.patchbay.api.RunRecords;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.source.TargetSettings;

/**
 * The settings a job's target gets: from the device's group (its Windows update source) and from the policy of the
 * run the job belongs to (its reboot behaviour). Read as the job starts, so a change to either reaches the next job.
 */
final class DeviceSettings {
    /** Reads with the store of one kind present now. */
    interface Stores {
        /** @throws IllegalStateException when no store of that kind is present */
        <S, R> R read(Class<S> type, Function<S, R> read);
    }

    private final Stores stores;

    DeviceSettings(Stores stores) {
        this.stores = stores;
    }

    /**
     * The stores as services, got for each read and given back: never bound while the job engine activates, since
     * the stores' components refer back to it.
     */
    static DeviceSettings of(BundleContext context) {
        return new DeviceSettings(new Stores() {
            @Override
            public <S, R> R read(Class<S> type, Function<S, R> read) {
                ServiceReference<S> ref = context.getServiceReference(type);
                S store = ref == null ? null : context.getService(ref);
                if (store == null) {
                    throw new IllegalStateException("the store of " + type.getSimpleName() + " is not available");
                }
                try {
                    return read.apply(store);
                } finally {
                    context.ungetService(ref);
                }
            }
        });
    }

    /**
     * The settings of {@code device} for a job of the run {@code runId} (null: a job on its own). A group or policy
     * that no longer exists gives its defaults.
     *
     * @throws IllegalStateException when the group, run or policy must be read and its store is missing, or when
     *         what is stored is not valid
     */
    TargetSettings of(DeviceDTO device, String runId) {
        GroupDTO group = null;
        if (device.groupId != null) {
            group = stores.read(Groups.class, g -> g.get(device.groupId)).orElse(null);
        }
        PolicyDTO policy = null;
        if (runId != null) {
            // the run's row in the store, not the runs bundle: a job runs while that bundle is stopped or replaced
            Optional<RunDTO> run = stores.read(RunRecords.class, r -> r.get(runId).map(rr -> rr.run));
            String policyId = run.map(r -> r.policyId).orElse(null);
            if (policyId != null) {
                policy = stores.read(Policies.class, p -> p.get(policyId)).orElse(null);
            }
        }
        try {
            return TargetSettings.of(group, policy);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("group '" + device.groupId + "' has settings that are not valid: "
                    + e.getMessage(), e);
        }
    }
}
