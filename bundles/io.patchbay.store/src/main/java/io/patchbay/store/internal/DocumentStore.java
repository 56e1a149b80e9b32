package io.patchbay.store.internal;

import java.util.Optional;

import io.patchbay.api.EntityStore;
import io.patchbay.api.dto.PageDTO;

/**
 * An {@link EntityStore} over one kind of document: every create and update is validated first, so nothing invalid
 * is ever written.
 *
 * @param <T> the DTO
 */
abstract class DocumentStore<T> implements EntityStore<T> {
    final Documents<T> docs;

    DocumentStore(Documents<T> docs) {
        this.docs = docs;
    }

    /**
     * Checks and normalises an object before it is written.
     *
     * @throws io.patchbay.api.InvalidInputException naming the field and value that are wrong
     */
    abstract T validate(T object);

    @Override
    public Optional<T> get(String id) {
        return docs.get(id);
    }

    @Override
    public PageDTO<T> page(String cursor, int limit) {
        return docs.page(cursor, limit);
    }

    @Override
    public T create(T object, String actor) {
        return docs.create(validate(object), actor);
    }

    @Override
    public T update(String id, T object, long expectedVersion, String actor) {
        return docs.update(id, validate(object), expectedVersion, actor);
    }

    @Override
    public void delete(String id, long expectedVersion, String actor) {
        docs.delete(id, expectedVersion, actor);
    }
}
