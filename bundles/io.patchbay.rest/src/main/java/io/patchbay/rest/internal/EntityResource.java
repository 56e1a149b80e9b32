package io.patchbay.rest.internal;

import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

import io.patchbay.api.ConflictException;
import io.patchbay.api.EntityStore;
import io.patchbay.api.NotFoundException;
import io.patchbay.api.dto.PageDTO;

/**
 * The operations every object an operator edits has: a page of them, one by id with its ETag, create, and replace or
 * delete with {@code If-Match}.
 *
 * @param <T> the DTO
 */
abstract class EntityResource<T> {
    private final EntityStore<T> store;
    private final String what;
    private final ToLongFunction<T> version;
    private final java.util.function.Function<T, String> id;
    private final Requester requester;

    EntityResource(EntityStore<T> store, Requester requester, String what, java.util.function.Function<T, String> id,
            ToLongFunction<T> version) {
        this.store = store;
        this.requester = requester;
        this.what = what;
        this.id = id;
        this.version = version;
    }

    @GET
    public PageDTO<T> list(
            @QueryParam("cursor") String cursor, @QueryParam("limit")
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "500",
                    defaultValue = "50")) String limit) {
        return Pages.byKey(store.page(cursor, Pages.limit(limit)), id);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String key) {
        T o = store.get(key).orElseThrow(() -> new NotFoundException(what, key));
        return Response.ok(o).tag(ETags.of(version.applyAsLong(o))).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(T body, @Context HttpHeaders headers, @Context UriInfo uri) {
        T o = store.create(body, requester.name(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(id.apply(o)).build())
                .tag(ETags.of(version.applyAsLong(o))).entity(o).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String key, T body, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        T o = matching(key, ETags.ifMatch(headers), expected -> store.update(key, body, expected, actor));
        return Response.ok(o).tag(ETags.of(version.applyAsLong(o))).build();
    }

    /** Makes a change against the version If-Match accepts; with "*", again when another change came in between. */
    private <R> R matching(String key, ETags.IfMatch ifMatch, LongFunction<R> change) {
        for (int attempt = 1;; attempt++) {
            try {
                return change.apply(expected(key, ifMatch));
            } catch (ConflictException e) {
                if (!ifMatch.any() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The version a change is based on: the one If-Match names, or the current one when If-Match accepts it. */
    private long expected(String key, ETags.IfMatch ifMatch) {
        Long single = ifMatch.single();
        if (single != null) {
            return single;
        }
        T current = store.get(key).orElseThrow(() -> new NotFoundException(what, key));
        long v = version.applyAsLong(current);
        if (!ifMatch.accepts(v)) {
            throw ifMatch.refusal(what, key, v);
        }
        return v;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String key, @Context HttpHeaders headers) {
        String actor = requester.name(headers);
        matching(key, ETags.ifMatch(headers), expected -> {
            store.delete(key, expected, actor);
            return null;
        });
        return Response.noContent().build();
    }
}
