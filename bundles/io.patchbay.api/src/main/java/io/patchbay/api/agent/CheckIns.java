package io.patchbay.api.agent;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Agents' check-ins: records last-seen times (in batches), inventory and boot time, and answers with the interval,
 * the jobs due, the source bundles to run and the block list. Cheap by design: no full-table reads per call.
 */
@ProviderType
public interface CheckIns {
    /**
     * @throws io.patchbay.api.NotFoundException when there is no such device
     * @throws IdentityConflictException when another machine checks in as this device
     * @throws io.patchbay.api.InvalidInputException naming the field and value that are refused
     */
    CheckInReplyDTO checkIn(String deviceId, CheckInDTO checkIn);
}
