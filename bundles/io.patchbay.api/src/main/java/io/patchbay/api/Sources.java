package io.patchbay.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.SourceDTO;

/** The update sources present in the running server. */
@ProviderType
public interface Sources {
    /** Every source service, ordered by id, the one in use for each id first. */
    List<SourceDTO> sources();

    /** The source in use for an instance id. */
    Optional<SourceDTO> source(String id);
}
