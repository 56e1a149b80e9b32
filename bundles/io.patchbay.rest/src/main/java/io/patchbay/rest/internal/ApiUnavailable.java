package io.patchbay.rest.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Answers under {@code /api} when no JAX-RS application does: 503 for the API while it is not there yet (the server
 * is starting), 404 for any other path. The application's own servlet at {@code /api/v1} is more specific and wins
 * once it is registered.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public class ApiUnavailable extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        if (uri.equals(ApiGate.API) || uri.startsWith(ApiGate.API + "/")) {
            response.setHeader("Retry-After", "2");
            ApiGate.problem(response, 503, "Service Unavailable",
                    "The API is starting or being updated; try again in a moment", null);
        } else {
            ApiGate.problem(response, 404, "Not Found", "There is no resource at "
                    + ProblemMapper.printable(Params.shown(uri)), null);
        }
    }
}
