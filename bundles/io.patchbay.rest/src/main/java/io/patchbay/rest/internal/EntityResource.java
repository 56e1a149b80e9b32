package io.patchbay.rest.internal;

import java.util.function.ToLongFunction;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
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
    public PageDTO<T> list(@QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        return store.page(cursor, limit);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String key) {
        T o = store.get(key).orElseThrow(() -> new NotFoundException(what, key));
        return Response.ok(o).tag(Versions.tag(version.applyAsLong(o))).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(T body, @Context HttpHeaders headers, @Context UriInfo uri) {
        T o = store.create(body, requester.name(headers));
        return Response.created(uri.getAbsolutePathBuilder().path(id.apply(o)).build())
                .tag(Versions.tag(version.applyAsLong(o))).entity(o).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String key, T body, @Context HttpHeaders headers) {
        T o = store.update(key, body, Versions.expected(headers), requester.name(headers));
        return Response.ok(o).tag(Versions.tag(version.applyAsLong(o))).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String key, @Context HttpHeaders headers) {
        store.delete(key, Versions.expected(headers), requester.name(headers));
        return Response.noContent().build();
    }
}
