package io.annals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A client that keeps its connection open (a service calling predict, a load balancer's pool) is served on it for
 * thousands of requests: the server does not close it after Tomcat's default of 100 and make one request in a
 * hundred wait for a new connection (see {@code server.tomcat.max-keep-alive-requests}).
 */
class KeepAliveTest extends PlatformTestSupport {

    @Test
    void givenOneKeptAliveConnection_when500RequestsAreSentOnIt_thenEveryOneIsAnswered_andItIsNeverClosed()
            throws IOException {
        URI base = URI.create(baseUrl());
        byte[] request = ("GET /v2/health/live HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + TESTER_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<String> closings = new ArrayList<>();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int i = 1; i <= 500; i++) {
                out.write(request);
                out.flush();
                String status = line(in);
                assertThat(status).as("status line of request " + i).startsWith("HTTP/1.1 200");
                int length = 0;
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(lower.substring(15).trim());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        closings.add("request " + i + ": " + header);
                    }
                }
                assertThat(length).as("a body of known length, request " + i).isPositive();
                assertThat(in.readNBytes(length)).hasSize(length);
            }
        }
        assertThat(closings).as("responses that closed the connection").isEmpty();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString().stripTrailing();
            }
            line.append((char) b);
        }
        throw new IOException("the server closed the connection after: " + line);
    }
}
