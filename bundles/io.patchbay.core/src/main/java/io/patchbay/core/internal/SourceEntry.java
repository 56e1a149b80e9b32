package io.patchbay.core.internal;

import java.util.List;

import io.patchbay.api.dto.SourceDTO;
import io.patchbay.api.source.UpdateSource;

/** What the registry knows of one source service, without holding the service object itself. */
record SourceEntry(String id, String type, List<String> platforms, String bundle, String bundleVersion,
        long serviceId, int ranking, Acquirer acquirer, long bundleId) {

    SourceEntry(String id, String type, List<String> platforms, String bundle, String bundleVersion, long serviceId,
            int ranking, Acquirer acquirer) {
        this(id, type, platforms, bundle, bundleVersion, serviceId, ranking, acquirer, -1);
    }

    /** Gets the service object for the length of one job. */
    interface Acquirer {
        Lease acquire();
    }

    /** The service object, given back with {@link #close()}. */
    interface Lease extends AutoCloseable {
        /** @return the service, or null when it has gone */
        UpdateSource source();

        @Override
        void close();
    }

    SourceDTO toDTO(String state, int runningJobs) {
        SourceDTO dto = new SourceDTO();
        dto.id = id;
        dto.type = type;
        dto.platforms = platforms;
        dto.bundle = bundle;
        dto.bundleVersion = bundleVersion;
        dto.serviceId = serviceId;
        dto.ranking = ranking;
        dto.state = state;
        dto.runningJobs = runningJobs;
        return dto;
    }

    String describe() {
        return "source '" + id + "' (" + bundle + " " + bundleVersion + ")";
    }
}
