package io.patchbay.api;

import org.osgi.annotation.versioning.ConsumerType;

import io.patchbay.api.dto.JobDTO;

/**
 * Told of every job that ended, in the order they ended, on a thread of the core's; a slow listener delays only the
 * listeners after it, never a job. Register it as a service.
 */
@ConsumerType
public interface JobListener {
    void jobEnded(JobDTO job);
}
