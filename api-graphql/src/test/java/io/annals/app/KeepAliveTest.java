package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.app.bench.ServingLoadClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that keeps its connection open (a service calling predict, a load balancer's pool) is served on it for
 * thousands of requests: the server does not close it after Tomcat's default of 100 and make one request in a
 * hundred wait for a new connection (see {@code server.tomcat.max-keep-alive-requests}).
 */
class KeepAliveTest extends PlatformTestSupport {

    @Test
    void givenOneKeptAliveConnection_when500RequestsAreSentOnIt_thenEveryOneIsAnswered_andItIsNeverClosed() {
        URI base = URI.create(baseUrl());
        byte[] request = ("GET /v2/health/live HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + TESTER_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<String> closings = new ArrayList<>();
        try (ServingLoadClient.Connection connection = new ServingLoadClient.Connection(base.getHost(),
                base.getPort())) {
            for (int i = 1; i <= 500; i++) {
                StringBuilder body = new StringBuilder();
                assertThat(connection.exchange(request, body)).as("status of request " + i).isEqualTo(200);
                assertThat(body).as("the body of request " + i).isNotEmpty();
                if (!connection.isOpen()) { // the server's answer said "Connection: close"
                    closings.add("request " + i);
                }
            }
        }
        assertThat(closings).as("responses that closed the connection").isEmpty();
    }
}
