package io.patchbay.core.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.patchbay.api.Groups;
import io.patchbay.api.Policies;
import io.patchbay.api.Runs;
import io.patchbay.api.dto.DeviceDTO;
import io.patchbay.api.dto.GroupDTO;
import io.patchbay.api.dto.PolicyDTO;
import io.patchbay.api.dto.RunDTO;
import io.patchbay.api.source.TargetSettings;

/**
 * The settings a job's target gets: from the device's group (its Windows update source) and from the policy of the
 * run the job belongs to (its reboot behaviour). Read as the job starts, so a change to either reaches the next job.
 */
@Component(service = DeviceSettings.class)
public class DeviceSettings {
    // optional, so the job engine starts without the store; a lookup that needs a missing one fails instead
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Groups groups;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Policies policies;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Runs runs;

    public DeviceSettings() {
    }

    /** For tests: the stores given, any of them null. */
    DeviceSettings(Groups groups, Policies policies, Runs runs) {
        this.groups = groups;
        this.policies = policies;
        this.runs = runs;
    }

    /**
     * The settings of {@code device} for a job of the run {@code runId} (null: a job on its own). A group or policy
     * that no longer exists gives its defaults.
     *
     * @throws IllegalStateException when the group, run or policy must be read and its store is missing, or when
     *         what is stored is not valid
     */
    public TargetSettings of(DeviceDTO device, String runId) {
        GroupDTO group = null;
        if (device.groupId != null) {
            group = present(groups, "groups").get(device.groupId).orElse(null);
        }
        PolicyDTO policy = null;
        if (runId != null) {
            Optional<RunDTO> run = present(runs, "runs").get(runId);
            String policyId = run.map(r -> r.policyId).orElse(null);
            if (policyId != null) {
                policy = present(policies, "policies").get(policyId).orElse(null);
            }
        }
        try {
            return TargetSettings.of(group, policy);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("group '" + device.groupId + "' has settings that are not valid: "
                    + e.getMessage(), e);
        }
    }

    private static <S> S present(S store, String what) {
        if (store == null) {
            throw new IllegalStateException("the store of " + what + " is not available");
        }
        return store;
    }
}
