package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator's liveness and readiness probes need no token and learn only UP or DOWN; the health endpoint with
 * every component's details needs a token, as every other route.
 */
class HealthProbesTest extends PlatformTestSupport {

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void givenNoToken_whenTheProbesAreCalled_thenTheyAnswerTheStatusOnly_andTheFullHealthIsRefused() throws Exception {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            HttpResponse<String> answer = get(probe, null);
            assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            assertThat(answer.body()).as(probe).contains("\"status\":\"UP\"").doesNotContain("components", "version",
                    "brokers");
        }
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/health/postgres", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        // a POST to a probe's path is not a probe
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(baseUrl() + "/actuator/health/readiness")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(401);

        HttpResponse<String> full = get("/actuator/health", AUDITOR_TOKEN);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).contains("\"postgres\"", "\"kafka\"", "\"elasticsearch\"", "\"s3\"");
    }
}
