package io.annals.workers.serving;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The serving routes ({@link ServingRoutes}) on the main port, in a servlet of their own beside Spring MVC's
 * dispatcher, as inference servers keep their data plane apart from their control plane. The filters in front of
 * every route still run (the token check and access rules, the request metrics, whose {@code uri} tag is the route's
 * pattern); what a prediction no longer pays for is Spring MVC's dispatch: matching the path against every handler of
 * the application, invoking the handler reflectively, and writing its answer through content negotiation and message
 * converters. In a profile of single-row predictions at 1,000 requests/s (ServingBenchmarkIT, JFR) that dispatch was
 * 40% of the request threads' samples, and the prediction itself (parse, predict, answer) 27%. The same routes also
 * answer on the data plane's own port ({@link DataPlaneServer}), without the servlet container.
 */
public final class ServingServlet extends HttpServlet {

    /** The servlet's URL mappings. */
    public static final List<String> MAPPINGS = List.of("/v2", "/v2/*", "/v1/endpoints/*");

    private final ServingRoutes routes;

    public ServingServlet(ServingRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
        ServingRoutes.Answer answer = routes.handle(new ServletCall(request, path));
        if (answer.pattern() != null) {
            ServerHttpObservationFilter.findObservationContext(request)
                    .ifPresent(c -> c.setPathPattern(answer.pattern()));
        }
        if (answer.allow() != null) {
            response.setHeader("Allow", answer.allow());
        }
        ServingReply reply = answer.reply();
        response.setStatus(reply.status());
        if (reply.contentType() == null) {
            return; // OPTIONS
        }
        response.setContentType(reply.contentType());
        if (reply.header() != null) {
            response.setHeader(reply.header(), reply.headerValue());
        }
        response.setContentLength(reply.body().length);
        if (!answer.head()) {
            response.getOutputStream().write(reply.body());
        }
    }

    /** A servlet request as the routes read it. */
    private record ServletCall(HttpServletRequest request, String path) implements ServingCall {

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }
    }
}
