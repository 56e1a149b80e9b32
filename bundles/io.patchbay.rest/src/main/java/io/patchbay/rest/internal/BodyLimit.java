package io.patchbay.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/** Refuses request bodies over a megabyte, whether or not they announce their length. */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
public class BodyLimit implements ContainerRequestFilter {
    static final int MAX_BYTES = 1024 * 1024;
    /** Bundles uploaded to replace a source or add a plugin may be larger. */
    static final int MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

    /** Thrown when a body passes the limit; answered with 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("request bodies here may have at most " + limit + " bytes");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String path = request.getUriInfo().getPath().replaceAll("^/+|/+$", "");
        long limit = path.endsWith("/bundle") || path.equals("plugins") ? MAX_BUNDLE_BYTES : MAX_BYTES;
        if (request.getLength() > limit) {
            throw new TooLarge(limit);
        }
        request.setEntityStream(new FilterInputStream(request.getEntityStream()) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws IOException {
                read += n;
                if (read > limit) {
                    throw new TooLarge(limit);
                }
            }
        });
    }
}
