package io.annals.workers.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data plane's HTTP/1.1 over real sockets, with routes that echo what they read: kept-alive and pipelined
 * requests, bodies by length and chunked, {@code Expect: 100-continue}, the token check before any route, and every
 * bound on hostile input (head size, framing, body size, stalls, connections).
 */
class DataPlaneServerTest {

    private static final String GOOD = "Bearer good";
    private static final int MAX_BODY = 64 * 1024;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DataPlaneServer server;

    /** Echoes the method, path, body and the routing header; its body limit is the routes' own. */
    private static ServingRoutes.Answer echo(ServingCall call) {
        String pattern = call.path().startsWith("/v2") ? "/v2/models/{name}/infer" : null;
        if (pattern == null) {
            return new ServingRoutes.Answer(ServingRoutes.refusal(false, 404, call.path() + " is not a route"), null,
                    null, false);
        }
        try {
            byte[] body = RequestParts.body(call, MAX_BODY);
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("method", call.method());
            echo.put("path", call.path());
            echo.put("body", new String(body, StandardCharsets.UTF_8));
            echo.put("key", call.header("x-annals-routing-key"));
            return new ServingRoutes.Answer(ServingReply.json(200, echo), pattern, null, call.method().equals("HEAD"));
        } catch (Inference.Refused e) {
            return new ServingRoutes.Answer(ServingRoutes.refusal(true, e.status(), e.getMessage()), pattern, null,
                    false);
        }
    }

    private static Optional<DataPlaneServer.Refusal> tokens(String method, String path, String authorization) {
        return GOOD.equals(authorization) ? Optional.empty() : Optional.of(new DataPlaneServer.Refusal(401, "Bearer",
                "{\"error\":\"UNAUTHORIZED\"}".getBytes(StandardCharsets.UTF_8)));
    }

    private DataPlaneServer start(int maxConnections, Duration idle, Duration read) {
        server = new DataPlaneServer(DataPlaneServerTest::echo, DataPlaneServerTest::tokens, meters,
                InetAddress.getLoopbackAddress(), 0, new DataPlaneServer.Limits(maxConnections, idle, read));
        server.start();
        return server;
    }

    private DataPlaneServer start() {
        return start(8, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed after '" + line + "'");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = head ? new byte[0] : in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static Response read(Socket socket) throws IOException {
        return read(socket.getInputStream(), false);
    }

    private static boolean closedByServer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String post(String path, String body, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + GOOD + "\r\n" + String.join("", headers)
                + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body;
    }

    @Test
    void keptAliveAndPipelinedRequestsAreAnsweredInOrder_onOneConnection() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, post("/v2/models/m/infer", "{\"a\":1}"));
            Response first = read(socket);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("\"body\":\"{\\\"a\\\":1}\"").contains("\"path\":\"/v2/models/m/infer\"");
            assertThat(first.header("Connection")).isNull();

            send(socket, post("/v2/models/m/infer", "one", "X-Annals-Routing-Key: k1\r\n")
                    + post("/v2/models/m/infer?debug=1", "two"));
            Response second = read(socket);
            Response third = read(socket);
            assertThat(second.body()).contains("\"body\":\"one\"").contains("\"key\":\"k1\"");
            assertThat(third.body()).contains("\"body\":\"two\"").contains("\"path\":\"/v2/models/m/infer\"");
        }
        assertThat(meters.get("annals.data.plane.requests").tag("uri", "/v2/models/{name}/infer")
                .tag("status", "200").timer().count()).isEqualTo(3);
    }

    @Test
    void madeUpMethods_areTimedAsOneSeries() throws IOException {
        start();
        try (Socket socket = connect()) {
            for (String method : new String[] {"BREW", "WHEN", "PROPFIND"}) {
                send(socket, method + " /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\n\r\n");
                assertThat(read(socket).status()).isEqualTo(200);
            }
        }
        assertThat(meters.get("annals.data.plane.requests").tag("method", "OTHER").timer().count()).isEqualTo(3);
        assertThat(meters.find("annals.data.plane.requests").tag("method", "BREW").timer()).isNull();
    }

    @Test
    void aRouteThatThrows_is500_andTheConnectionClosed() throws IOException {
        server = new DataPlaneServer(call -> {
            throw new IllegalStateException("a route's bug");
        }, DataPlaneServerTest::tokens, meters, InetAddress.getLoopbackAddress(), 0,
                new DataPlaneServer.Limits(8, Duration.ofSeconds(30), Duration.ofSeconds(10)));
        server.start();
        try (Socket socket = connect()) {
            send(socket, post("/v2/models/m/infer", "x"));
            Response failed = read(socket);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body()).contains("the request failed (IllegalStateException)");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    @Test
    void aChunkedBodyIsReadWhole_andTheConnectionGoesOn() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nTransfer-Encoding: "
                    + "chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
            assertThat(read(socket).body()).contains("\"body\":\"hello world\"");
            send(socket, post("/v2/models/m/infer", "next"));
            assertThat(read(socket).body()).contains("\"body\":\"next\"");

            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nTransfer-Encoding: "
                    + "chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            Response malformed = read(socket);
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.body()).contains("malformed chunk size 'zz'");
            assertThat(malformed.header("Connection")).isEqualTo("close");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    @Test
    void expectContinue_isAnsweredWhenTheRouteReadsTheBody_andARefusalCostsNoUpload() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n\r\n");
            assertThat(line(socket.getInputStream())).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(line(socket.getInputStream())).isEmpty();
            send(socket, "hello");
            assertThat(read(socket).body()).contains("\"body\":\"hello\"");
        }
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: Bearer wrong\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5000000\r\n\r\n");
            Response refused = read(socket);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    @Test
    void aRefusedRequestsSmallBodyIsDropped_andTheConnectionKept() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
            Response refused = read(socket);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo("{\"error\":\"UNAUTHORIZED\"}");
            assertThat(refused.header("Connection")).isNull();
            send(socket, post("/v2/models/m/infer", "after"));
            assertThat(read(socket).body()).contains("\"body\":\"after\"");
            send(socket, "GET /elsewhere HTTP/1.1\r\n\r\n");
            Response elsewhere = read(socket);
            assertThat(elsewhere.status()).isEqualTo(404);
            assertThat(elsewhere.body()).contains("/elsewhere is not a route");
        }
        assertThat(meters.get("annals.data.plane.requests").tag("uri", "/v2/models/{name}/infer").tag("status", "401")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get("annals.data.plane.requests").tag("uri", "NOT_FOUND").tag("status", "404").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void hostileHeads_areRefusedWithTheirStatus_andTheConnectionClosed() throws IOException {
        start();
        Map<String, Integer> heads = new LinkedHashMap<>();
        heads.put("GET /v2/x HTTP/1.1\r\nX-Big: " + "a".repeat(DataPlaneServer.MAX_HEAD_BYTES) + "\r\n\r\n", 431);
        heads.put("GET /v2/x HTTP/1.1\r\n" + "X-H: 1\r\n".repeat(DataPlaneServer.MAX_HEADERS + 1) + "\r\n", 431);
        heads.put("POST /v2/x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
        heads.put("POST /v2/x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400);
        heads.put("POST /v2/x HTTP/1.1\r\nContent-Length: -3\r\n\r\n", 400);
        heads.put("POST /v2/x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
        heads.put("GET /v2/x HTTP/2.0\r\n\r\n", 505);
        heads.put("GET /v2/x%zz HTTP/1.1\r\n\r\n", 400);
        heads.put("GET /v2/x%00 HTTP/1.1\r\n\r\n", 400);
        heads.put("GET /v2/x HTTP/1.1\r\n folded\r\n\r\n", 400);
        heads.put("GET /v2/x HTTP/1.1\r\nBad Name: 1\r\n\r\n", 400);
        heads.put("GET nowhere HTTP/1.1\r\n\r\n", 400);
        heads.put("get /v2/x HTTP/1.1\r\n\r\n", 400);
        heads.put("POST /v2/x HTTP/1.1\r\nExpect: 200-ok\r\n\r\n", 417);
        for (var head : heads.entrySet()) {
            String what = head.getKey().substring(0, Math.min(40, head.getKey().length()));
            try (Socket socket = connect()) {
                send(socket, head.getKey());
                Response response = read(socket);
                assertThat(response.status()).as(what).isEqualTo(head.getValue());
                assertThat(response.body()).as(what).contains("the request could not be "
                        + "read");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(closedByServer(socket)).isTrue();
            }
        }
    }

    @Test
    void aBodyOverTheRoutesLimitIs413_beforeItIsRead() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nContent-Length: "
                    + 10_000_000 + "\r\n\r\n");
            Response refused = read(socket);
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.body()).contains("the limit is " + MAX_BODY + " bytes");
            assertThat(refused.header("Connection")).isEqualTo("close");
        }
        try (Socket socket = connect()) {
            String chunk = Integer.toHexString(MAX_BODY + 10) + "\r\n" + "x".repeat(MAX_BODY + 10) + "\r\n0\r\n\r\n";
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nTransfer-Encoding: "
                    + "chunked\r\n\r\n" + chunk);
            assertThat(read(socket).status()).isEqualTo(413);
            send(socket, post("/v2/models/m/infer", "small"));
            assertThat(read(socket).body()).as("the rest of the chunked body was read and dropped")
                    .contains("\"body\":\"small\"");
        }
    }

    @Test
    void aStalledRequestIs408_andAnIdleConnectionIsClosed() throws IOException {
        start(8, Duration.ofMillis(400), Duration.ofMillis(300));
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\nContent-Length: 10\r\n"
                    + "\r\nabc");
            Response stalled = read(socket);
            assertThat(stalled.status()).isEqualTo(408);
            assertThat(stalled.body()).contains("body did not arrive within 300 ms");
            assertThat(closedByServer(socket)).isTrue();
        }
        try (Socket socket = connect()) {
            send(socket, "GET /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD);
            assertThat(read(socket).status()).isEqualTo(408);
        }
        try (Socket socket = connect()) {
            // a header every 50 ms, each read well within the timeout, the head never ending: 408 once the whole
            // head has taken longer than the read timeout
            send(socket, "GET /v2/models/m/infer HTTP/1.1\r\n");
            long begin = System.nanoTime();
            Response trickled = null;
            for (int i = 0; i < 100 && trickled == null; i++) {
                try {
                    send(socket, "X-Trickle-" + i + ": 1\r\n");
                } catch (IOException closed) {
                    break;
                }
                if (socket.getInputStream().available() > 0) {
                    trickled = read(socket);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            if (trickled == null) {
                trickled = read(socket);
            }
            assertThat(trickled.status()).isEqualTo(408);
            assertThat(trickled.body()).contains("head did not arrive within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
        }
        try (Socket socket = connect()) {
            send(socket, post("/v2/models/m/infer", "x"));
            assertThat(read(socket).status()).isEqualTo(200);
            long begin = System.nanoTime();
            assertThat(closedByServer(socket)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsBeyondTheLimitAre503() throws IOException {
        start(2, Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (Socket a = connect(); Socket b = connect()) {
            for (Socket s : new Socket[] {a, b}) {
                send(s, post("/v2/models/m/infer", "x"));
                assertThat(read(s).status()).isEqualTo(200);
            }
            try (Socket c = connect()) {
                Response refused = read(c);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("has 2 connections open, its limit");
                assertThat(closedByServer(c)).isTrue();
            }
            send(a, post("/v2/models/m/infer", "still"));
            assertThat(read(a).body()).contains("still");
        }
        assertThat(meters.get("annals.data.plane.connections.refused").counter().count()).isEqualTo(1);
    }

    @Test
    void http10ClosesUnlessKeptAlive_andHeadLeavesTheBodyOut() throws IOException {
        start();
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.0\r\nAuthorization: " + GOOD + "\r\nContent-Length: 2\r\n"
                    + "\r\nhi");
            Response response = read(socket);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(closedByServer(socket)).isTrue();
        }
        try (Socket socket = connect()) {
            send(socket, "POST /v2/models/m/infer HTTP/1.0\r\nConnection: keep-alive\r\nAuthorization: " + GOOD
                    + "\r\nContent-Length: 2\r\n\r\nhi");
            assertThat(read(socket).header("Connection")).isEqualTo("keep-alive");
            send(socket, "HEAD /v2/models/m/infer HTTP/1.1\r\nAuthorization: " + GOOD + "\r\n\r\n");
            Response head = read(socket.getInputStream(), true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();
            send(socket, post("/v2/models/m%20n/infer", "after head"));
            assertThat(read(socket).body()).as("nothing of HEAD's body was sent").contains("\"body\":\"after head\"")
                    .contains("\"path\":\"/v2/models/m n/infer\"");
        }
    }

    @Test
    void stopping_closesIdleConnections_andTakesNoMore() throws IOException {
        start();
        int port = server.port();
        try (Socket socket = connect()) {
            send(socket, post("/v2/models/m/infer", "x"));
            assertThat(read(socket).status()).isEqualTo(200);
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(closedByServer(socket)).isTrue();
        }
        boolean refused;
        try (Socket again = new Socket(InetAddress.getLoopbackAddress(), port)) {
            refused = false;
        } catch (IOException e) {
            refused = true;
        }
        assertThat(refused).as("no connection is taken after stop").isTrue();
        server = null;
    }
}
