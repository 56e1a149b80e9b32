package io.patchbay.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * In front of every servlet of the server, before JAX-RS sees a request: what CXF or Jetty would answer with an HTML
 * page or a 500 is answered here in problem+json. A Content-Type whose charset does not exist is 415; a path with a
 * malformed percent escape is 400; while the API is starting (or being rebuilt as resources come and go) its paths
 * are 503 with Retry-After, quietly; and a failure that escapes every handler is a 500 with an error id.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=*)")
public class ApiGate implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGate.class);
    static final String API = "/api/v1";
    private static final ObjectMapper JSON = JsonProvider.mapper();
    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]*)\"?");
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile JaxrsServiceRuntime jaxrs;

    /** Set once the API answers; from then on only a rebuild's missing endpoint is turned into a 503. */
    private volatile boolean ready;

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) resp;
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        if (BAD_ESCAPE.matcher(uri).find()) {
            discardBody(request);
            problem(response, 400, "Bad Request", "The path has a '%' that does not start a percent-encoded byte "
                    + "(two hexadecimal digits)", null);
            return;
        }
        String type = request.getContentType();
        if (type != null) {
            Matcher m = CHARSET.matcher(type);
            if (m.find() && !supported(m.group(1))) {
                discardBody(request);
                problem(response, 415, "Unsupported Media Type", "Content-Type: charset '"
                        + ProblemMapper.printable(Params.shown(m.group(1)))
                        + "' is not one this server knows; send UTF-8",
                        "Content-Type");
                return;
            }
        }
        boolean api = uri.equals(API) || uri.startsWith(API + "/");
        if (api && !ready && !(ready = apiAnswers())) {
            discardBody(request);
            starting(response);
            return;
        }
        NotFoundGuard guarded = new NotFoundGuard(response);
        try {
            chain.doFilter(request, api ? guarded : response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            String id = UUID.randomUUID().toString();
            LOG.error("Request {} {} failed (error id {})", request.getMethod(), ProblemMapper.printable(uri), id, e);
            response.reset();
            problem(response, 500, "Internal Server Error", "The server could not answer this request; the server "
                    + "log has the details under error id " + id, null);
            return;
        }
        if (guarded.endpointMissing && !response.isCommitted()) {
            response.reset();
            starting(response);
        }
    }

    /**
     * Reads what is left of a refused request's body (up to the API's body limit), so the connection stays usable
     * for the client's next request instead of being closed under it.
     */
    static void discardBody(HttpServletRequest request) {
        try {
            byte[] buf = new byte[8192];
            long left = BodyLimit.MAX_BYTES;
            int n;
            while (left > 0 && (n = request.getInputStream().read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the body is gone already: nothing to keep the connection for
        }
    }

    private static boolean supported(String charset) {
        try {
            return !charset.isEmpty() && Charset.isSupported(charset);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the JAX-RS runtime serves the API's health resource, i.e. requests will reach the application. */
    private boolean apiAnswers() {
        JaxrsServiceRuntime runtime = jaxrs;
        if (runtime == null) {
            return false;
        }
        try {
            for (ApplicationDTO app : runtime.getRuntimeDTO().applicationDTOs) {
                if (PatchbayApplication.NAME.equals(app.name) && app.resourceDTOs != null) {
                    for (ResourceDTO r : app.resourceDTOs) {
                        if (r.resourceMethods != null && Arrays.stream(r.resourceMethods)
                                .anyMatch(m -> m.path != null && m.path.replaceAll("^/+", "").equals("health"))) {
                            return true;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // the runtime is going away: not ready
        }
        return false;
    }

    private static void starting(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "2");
        problem(response, 503, "Service Unavailable", "The API is starting or being updated; try again in a moment",
                null);
    }

    static void problem(HttpServletResponse response, int status, String title, String detail, String field)
            throws IOException {
        ProblemDTO p = new ProblemDTO();
        p.status = status;
        p.title = title;
        p.detail = detail;
        p.field = field;
        byte[] body = JSON.writeValueAsBytes(p);
        response.setStatus(status);
        response.setContentType(ProblemDTO.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Notices CXF's own "no service was found" page, which it sends while an application's endpoint is being
     * rebuilt, and drops it so that a 503 problem can be sent instead.
     */
    static final class NotFoundGuard extends HttpServletResponseWrapper {
        boolean endpointMissing;

        NotFoundGuard(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setContentType(String type) {
            if (getStatus() == 404 && type != null && type.startsWith("text/html")) {
                endpointMissing = true;
                return;
            }
            super.setContentType(type);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return endpointMissing ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!endpointMissing) {
                return super.getOutputStream();
            }
            return new ServletOutputStream() {
                private final OutputStream none = OutputStream.nullOutputStream();

                @Override
                public void write(int b) throws IOException {
                    none.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    // nothing is written
                }
            };
        }
    }
}
