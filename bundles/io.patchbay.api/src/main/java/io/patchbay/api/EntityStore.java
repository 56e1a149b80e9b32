package io.patchbay.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.patchbay.api.dto.PageDTO;

/**
 * Objects an operator edits, kept in the store: read by id, listed a page at a time, and changed only against the
 * version the change was based on.
 *
 * @param <T> the DTO
 */
@ProviderType
public interface EntityStore<T> {
    Optional<T> get(String id);

    /**
     * A page of objects in a stable order.
     *
     * @param cursor the {@code next} of the previous page, or null for the first
     * @param limit 1 to 500
     */
    PageDTO<T> page(String cursor, int limit);

    /**
     * @throws InvalidInputException naming the field and value that are wrong; nothing is stored
     */
    T create(T object, String actor);

    /**
     * Replaces the object with the given id, if it is still at {@code expectedVersion}.
     *
     * @throws ConflictException when it changed meanwhile; nothing is stored
     * @throws NotFoundException when there is no such object
     */
    T update(String id, T object, long expectedVersion, String actor);

    /**
     * @throws ConflictException when it changed since {@code expectedVersion}
     * @throws NotFoundException when there is no such object
     */
    void delete(String id, long expectedVersion, String actor);
}
