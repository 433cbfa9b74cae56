package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.workers.serving.ServingRoutes.Match;
import io.annals.workers.serving.ServingRoutes.Route;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * How the serving servlet routes what it is given: which route a path takes with which variables, and the answers
 * that need no model (health, no such route, another method, media types). The routes that do are shown over HTTP
 * by the platform's tests (OpenInferenceTest, LifecycleEndToEndTest, RefusalsTest).
 */
class ServingServletTest {

    private final ServingServlet servlet = new ServingServlet(new ServingRoutes(null, 1024));

    @Test
    void aPath_takesTheRouteOfItsShape_withItsVariables() {
        assertThat(ServingRoutes.match("/v2")).isEqualTo(new Match(Route.SERVER, null, null));
        assertThat(ServingRoutes.match("/v2/health/live")).isEqualTo(new Match(Route.LIVE, null, null));
        assertThat(ServingRoutes.match("/v2/models/churn")).isEqualTo(new Match(Route.MODEL, "churn", null));
        assertThat(ServingRoutes.match("/v2/models/churn/ready"))
                .isEqualTo(new Match(Route.MODEL_READY, "churn", null));
        assertThat(ServingRoutes.match("/v2/models/churn/versions/3"))
                .isEqualTo(new Match(Route.MODEL_VERSION, "churn", "3"));
        assertThat(ServingRoutes.match("/v2/models/churn/versions/3/ready"))
                .isEqualTo(new Match(Route.MODEL_VERSION_READY, "churn", "3"));
        assertThat(ServingRoutes.match("/v2/models/churn/infer")).isEqualTo(new Match(Route.INFER, "churn", null));
        assertThat(ServingRoutes.match("/v2/models/churn/versions/3/infer"))
                .isEqualTo(new Match(Route.INFER_VERSION, "churn", "3"));
        assertThat(ServingRoutes.match("/v1/endpoints/churn/predict"))
                .isEqualTo(new Match(Route.PREDICT, "churn", null));
        // a name may be a word the patterns use elsewhere
        assertThat(ServingRoutes.match("/v2/models/ready/ready")).isEqualTo(new Match(Route.MODEL_READY, "ready",
                null));
    }

    @Test
    void trailingSlashes_emptySegmentsAndOtherShapes_takeNoRoute() {
        assertThat(ServingRoutes.match("/v2/")).isNull();
        assertThat(ServingRoutes.match("/v2/models/churn/infer/")).isNull();
        assertThat(ServingRoutes.match("/v2/models//infer")).isNull();
        assertThat(ServingRoutes.match("/v2/models")).isNull();
        assertThat(ServingRoutes.match("/v2/health/dead")).isNull();
        assertThat(ServingRoutes.match("/v1/endpoints/churn")).isNull();
        assertThat(ServingRoutes.match("/v1/endpoints/churn/predict/more")).isNull();
        assertThat(ServingRoutes.match("")).isNull();
    }

    @Test
    void health_isAnsweredAsJson_andHeadWithoutTheBody() throws Exception {
        MockHttpServletResponse live = call("GET", "/v2", "/health/live", null, null);
        assertThat(live.getStatus()).isEqualTo(200);
        assertThat(live.getContentType()).isEqualTo("application/json");
        assertThat(live.getContentAsString()).isEqualTo("{\"live\":true}");

        MockHttpServletResponse head = call("HEAD", "/v2", "/health/ready", null, null);
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(head.getContentLength()).isEqualTo("{\"ready\":true}".length());
        assertThat(head.getContentAsByteArray()).isEmpty();

        assertThat(call("GET", "/v2", null, null, null).getContentAsString()).contains("\"name\":\"annals\"");
    }

    @Test
    void noSuchRoute_is404_inTheErrorShapeOfItsApi() throws Exception {
        MockHttpServletResponse v2 = call("GET", "/v2", "/health/dead", null, null);
        assertThat(v2.getStatus()).isEqualTo(404);
        assertThat(v2.getContentAsString()).isEqualTo("{\"error\":\"GET /v2/health/dead is not a route\"}");

        MockHttpServletResponse json = call("POST", "/v1/endpoints", "/churn/score", null, null);
        assertThat(json.getStatus()).isEqualTo(404);
        assertThat(json.getContentAsString()).isEqualTo("{\"error\":\"NOT_FOUND\",\"message\":\"POST "
                + "/v1/endpoints/churn/score is not a route\"}");
    }

    @Test
    void anotherMethod_is405_withTheMethodsTheRouteTakes() throws Exception {
        MockHttpServletResponse infer = call("GET", "/v2", "/models/churn/infer", null, null);
        assertThat(infer.getStatus()).isEqualTo(405);
        assertThat(infer.getHeader("Allow")).isEqualTo("POST, OPTIONS");
        assertThat(infer.getContentAsString()).contains("GET is not allowed on /v2/models/{name}/infer");

        MockHttpServletResponse live = call("DELETE", "/v2", "/health/live", null, null);
        assertThat(live.getStatus()).isEqualTo(405);
        assertThat(live.getHeader("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        MockHttpServletResponse options = call("OPTIONS", "/v1/endpoints", "/churn/predict", null, null);
        assertThat(options.getStatus()).isEqualTo(200);
        assertThat(options.getHeader("Allow")).isEqualTo("POST, OPTIONS");
    }

    @Test
    void predict_takesAndAnswersJson_only() throws Exception {
        MockHttpServletResponse text = call("POST", "/v1/endpoints", "/churn/predict", "text/csv", null);
        assertThat(text.getStatus()).isEqualTo(415);
        assertThat(text.getContentAsString()).contains("UNSUPPORTED_MEDIA_TYPE", "not text/csv");

        MockHttpServletResponse none = call("POST", "/v1/endpoints", "/churn/predict", null, null);
        assertThat(none.getStatus()).isEqualTo(415);

        MockHttpServletResponse html = call("POST", "/v1/endpoints", "/churn/predict",
                "application/json; charset=utf-8", "text/html");
        assertThat(html.getStatus()).isEqualTo(406);
        assertThat(html.getContentAsString()).contains("NOT_ACCEPTABLE");

        assertThat(ServingRoutes.acceptsJson(null)).isTrue();
        assertThat(ServingRoutes.acceptsJson("text/html, application/json;q=0.9")).isTrue();
        assertThat(ServingRoutes.acceptsJson("*/*")).isTrue();
        assertThat(ServingRoutes.acceptsJson("application/*")).isTrue();
        assertThat(ServingRoutes.acceptsJson("text/html")).isFalse();
    }

    private MockHttpServletResponse call(String method, String servletPath, String pathInfo, String contentType,
                                         String accept) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, servletPath
                + (pathInfo == null ? "" : pathInfo));
        request.setServletPath(servletPath);
        request.setPathInfo(pathInfo);
        if (contentType != null) {
            request.setContentType(contentType);
        }
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        servlet.service(request, response);
        return response;
    }
}
