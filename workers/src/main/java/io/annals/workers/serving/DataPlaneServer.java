package io.annals.workers.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The data plane's own listener: the prediction routes of both APIs ({@link ServingRoutes}, the same routes as on the
 * main port) on a port of their own, served by one blocking thread per kept-alive connection, without the servlet
 * container.
 *
 * <p>Why: on the main port a request is first seen by Tomcat's poller thread, which hands the socket to a worker
 * thread, which after answering hands it back to the poller: two threads woken for each request before it is
 * answered, and each wake-up is a wait for a core on a busy machine. Here the thread that waits on the connection
 * reads the request, predicts and answers, one wake-up a request, as inference servers' data planes do. Measured
 * (ServingBenchmarkIT, single-row predictions at 1,000 a second on 2 cores, the stack running): p99 2.3–4.0 ms here
 * against 4.0–6.9 ms through the servlet container in the same runs, where a bare blocking HTTP server in a JVM of its
 * own had 2.4–4.1 ms.
 *
 * <p>The same rules as on the main port: every request under {@code /v1/} and {@code /v2} passes the token check and
 * access rules first ({@link Admission}, 401 and 403 with the same bodies); bodies are bounded
 * ({@code max-body-bytes}, 413); each API keeps its error body. HTTP/1.1 with kept-alive connections, pipelining,
 * {@code Content-Length} and chunked bodies, {@code Expect: 100-continue} (the {@code 100} is sent when the route
 * reads the body, so a refusal costs no upload), {@code Connection: close}, and HTTP/1.0. Hostile input is bounded
 * before it costs anything: a request head over {@value #MAX_HEAD_BYTES} bytes or {@value #MAX_HEADERS} headers is
 * 431, a head not whole within the read timeout (however it trickles) or a body stalled that long 408, both framings
 * at once or a malformed one 400, and connections beyond {@code max-connections} are answered 503 and closed. Each request is timed in
 * {@code annals_data_plane_requests_seconds} (method, uri pattern, status, outcome); the predictions' own metrics
 * are the routes' ({@link ServingMetrics}), whichever port they came through.
 */
public final class DataPlaneServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneServer.class);

    /** The largest request line and headers together. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;
    /** A refused request's unread body is read and dropped up to this size to keep its connection (as Tomcat does). */
    static final long MAX_DRAIN_BYTES = 2L * 1024 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long a connection closed after an answer keeps reading what still comes, and how much of it. */
    private static final int LINGER_READ_MS = 200;
    private static final long LINGER_TOTAL_MS = 1_000;
    private static final long MAX_LINGER_BYTES = 256 * 1024;

    /** Decides whether a request may reach its route: the main port's token check and access rules. */
    @FunctionalInterface
    public interface Admission {
        /** Empty when the request may go on; otherwise the answer that refuses it. */
        Optional<Refusal> check(String method, String path, String authorization);
    }

    /** A refused request's answer: its status, a {@code WWW-Authenticate} value (or null), and its JSON body. */
    public record Refusal(int status, String wwwAuthenticate, byte[] json) {
    }

    /** How many connections, and how long a connection may wait: idle between requests, and within one. */
    public record Limits(int maxConnections, Duration idleTimeout, Duration readTimeout) {
    }

    private final Function<ServingCall, ServingRoutes.Answer> routes;
    private final Admission admission;
    private final MeterRegistry meters;
    private final InetAddress address;
    private final int requestedPort;
    private final Limits limits;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final Counter refusedCounter;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private volatile ServerSocket server;
    private volatile boolean stopping;

    public DataPlaneServer(ServingRoutes routes, Admission admission, MeterRegistry meters, InetAddress address,
                           int port, Limits limits) {
        this(routes::handle, admission, meters, address, port, limits);
    }

    /** Over any routes: the HTTP tests' own. */
    DataPlaneServer(Function<ServingCall, ServingRoutes.Answer> routes, Admission admission, MeterRegistry meters,
                    InetAddress address, int port, Limits limits) {
        this.routes = routes;
        this.admission = admission;
        this.meters = meters;
        this.address = address;
        this.requestedPort = port;
        this.limits = limits;
        this.refusedCounter = Counter.builder("annals.data.plane.connections.refused")
                .description("Connections to the data plane refused (503) because max-connections were open")
                .register(meters);
        Gauge.builder("annals.data.plane.connections", open, Set::size)
                .description("Connections open on the data plane's port").register(meters);
    }

    @Override
    public void start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, requestedPort), 128);
            server = socket;
        } catch (IOException e) {
            throw new IllegalStateException("the data plane could not listen on " + address.getHostAddress() + ":"
                    + requestedPort + " (annals.workers.serving.data-plane.port; -1 turns it off): " + e.getMessage(),
                    e);
        }
        Thread acceptor = new Thread(this::accept, "annals-data-plane-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("Data plane ready on {} (POST /v1/endpoints/{name}/predict and /v2; a thread per connection, at "
                + "most {})", url(), limits.maxConnections());
    }

    /** Where the data plane answers, {@code http://address:port}. */
    public String url() {
        String host = address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The port it listens on (the one the system chose when configured with 0); -1 before it started. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    @Override
    public boolean isRunning() {
        return server != null && !stopping;
    }

    /** Stops taking connections, closes the idle ones, and gives requests in flight a few seconds to be answered. */
    @Override
    public void stop() {
        if (server == null || stopping) {
            return;
        }
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            log.warn("The data plane's listening socket did not close cleanly: {}", e.getMessage());
        }
        open.forEach(Connection::closeIfIdle);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            open.forEach(Connection::closeIfIdle);
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = open.size();
        open.forEach(Connection::close);
        log.info("Data plane on port {} stopped{}", port(), left == 0 ? ""
                : " (" + left + " connection(s) still busy after " + STOP_GRACE.toSeconds() + " s were closed)");
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024; // stops before the beans it uses are destroyed, as the web server
    }

    private void accept() {
        ServerSocket listening = server;
        while (!stopping) {
            Socket socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log.error("The data plane stopped taking connections on port {}", port(), e);
                }
                return;
            }
            if (open.size() >= limits.maxConnections()) {
                refuseConnection(socket);
                continue;
            }
            Connection connection = new Connection(socket);
            open.add(connection);
            Thread thread = new Thread(connection, "annals-data-plane-" + threads.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Over the limit of connections: one answer, 503, and the connection closed. */
    private void refuseConnection(Socket socket) {
        long n = refusedConnections.incrementAndGet();
        refusedCounter.increment();
        if (Long.bitCount(n) == 1) {
            log.warn("Refused a connection to the data plane (503; {} refused in all): {} are open, the limit of "
                    + "annals.workers.serving.data-plane.max-connections", n, limits.maxConnections());
        }
        try (socket) {
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            ServingReply reply = ServingRoutes.refusal(false, 503, "the data plane has " + limits.maxConnections()
                    + " connections open, its limit; retry, or reuse a kept-alive connection");
            out.write(head(503, reply.contentType(), reply.body().length, null, null, true));
            out.write(reply.body());
            out.flush();
        } catch (IOException gone) {
            // the client left first
        }
    }

    /** One kept-alive connection and the thread that serves it. */
    private final class Connection implements Runnable {

        private final Socket socket;
        /** True while the thread waits for the next request (a stopping server may close it then). */
        private volatile boolean idle = true;
        /** The last answer said {@code Connection: close}; the client may still be sending. */
        private boolean answeredAndClosing;

        Connection(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            try {
                socket.setTcpNoDelay(true);
                HttpInput in = new HttpInput(socket.getInputStream());
                // an answer's head and body leave in one write (up to the buffer's size)
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
                while (!stopping && serveOne(in, out)) {
                    // the next request on the same connection
                }
                if (answeredAndClosing) {
                    lingeringClose();
                }
            } catch (IOException gone) {
                // the client closed the connection, or the server is stopping
            } finally {
                close();
                open.remove(this);
            }
        }

        /** Serves one request; false when the connection is to be closed. */
        private boolean serveOne(HttpInput in, OutputStream out) throws IOException {
            idle = true;
            if (stopping) {
                return false;
            }
            socket.setSoTimeout(Math.toIntExact(limits.idleTimeout().toMillis()));
            try {
                if (!in.awaitData()) {
                    return false;
                }
            } catch (java.net.SocketTimeoutException quiet) {
                return false;
            }
            idle = false;
            long begin = System.nanoTime();
            socket.setSoTimeout(Math.toIntExact(limits.readTimeout().toMillis()));
            HttpRequest request;
            try {
                // the whole head within the read timeout: a head trickled a byte at a time cannot hold the thread
                in.deadline(begin + limits.readTimeout().toNanos());
                request = HttpRequest.read(in, out);
            } catch (HttpRequest.Malformed e) {
                answerAndClose(out, e.status(), e.path(), "the request could not be read: " + e.getMessage(), begin,
                        e.method());
                return false;
            } catch (java.net.SocketTimeoutException e) {
                answerAndClose(out, 408, null, "the request's head did not arrive within "
                        + limits.readTimeout().toMillis() + " ms", begin, "UNKNOWN");
                return false;
            } finally {
                in.deadline(Long.MAX_VALUE);
            }
            try {
                return answer(request, out, begin);
            } catch (RuntimeException e) {
                log.error("{} {} failed on the data plane", request.method(), request.path(), e);
                answerAndClose(out, 500, request.path(), "the request failed (" + e.getClass().getSimpleName()
                        + "); the server's log has the details", begin, request.method());
                return false;
            }
        }

        /** Checks the caller, answers the request by its route, and says whether the connection goes on. */
        private boolean answer(HttpRequest request, OutputStream out, long begin) throws IOException {
            boolean ours = request.path().startsWith("/v1/") || request.path().startsWith("/v2");
            Optional<Refusal> refused = ours
                    ? admission.check(request.method(), request.path(), request.header("Authorization"))
                    : Optional.empty();
            ServingRoutes.Answer answer;
            String challenge = null;
            if (refused.isPresent()) {
                ServingRoutes.Match match = ServingRoutes.match(request.path());
                answer = new ServingRoutes.Answer(ServingReply.json(refused.get().status(), refused.get().json()),
                        match == null ? null : match.route().pattern, null, false);
                challenge = refused.get().wwwAuthenticate();
            } else {
                answer = routes.apply(request);
            }
            HttpRequest.Body body = request.body();
            if (body.timedOut()) {
                answerAndClose(out, 408, request.path(), "the request's body did not arrive within "
                        + limits.readTimeout().toMillis() + " ms", begin, request.method());
                return false;
            }
            boolean keep = request.keepAlive() && !stopping && body.finish(MAX_DRAIN_BYTES);
            answeredAndClosing = !keep;
            ServingReply reply = answer.reply();
            String header = challenge != null ? "WWW-Authenticate" : answer.allow() != null ? "Allow" : reply.header();
            String value = challenge != null ? challenge : answer.allow() != null ? answer.allow()
                    : reply.headerValue();
            boolean empty = reply.contentType() == null;
            out.write(head(reply.status(), reply.contentType(), empty ? 0 : reply.body().length, header, value, !keep,
                    request.http10() && keep));
            if (!empty && !answer.head()) {
                out.write(reply.body());
            }
            // timed before the last bytes leave, so that a client that has its answer finds it counted
            time(request.method(), answer.pattern() == null ? "NOT_FOUND" : answer.pattern(), reply.status(), begin);
            out.flush();
            return keep;
        }

        /** Answers a request that could not be read whole, and closes the connection. */
        private void answerAndClose(OutputStream out, int status, String path, String message, long begin,
                                    String method) {
            answeredAndClosing = true;
            ServingReply reply = ServingRoutes.refusal(path != null && path.startsWith("/v2"), status, message);
            time(method, "UNKNOWN", status, begin);
            try {
                out.write(head(status, reply.contentType(), reply.body().length, null, null, true));
                out.write(reply.body());
                out.flush();
            } catch (IOException gone) {
                // the client left first
            }
        }

        /**
         * Closes after an answer that ends the connection while the client may still be sending (a refused body, a
         * head over the limit): the answer's end is sent first and what still arrives is read and dropped for a
         * moment, since closing a socket with unread bytes resets it, and a reset can take the answer with it.
         */
        private void lingeringClose() {
            try {
                socket.shutdownOutput();
                socket.setSoTimeout(LINGER_READ_MS);
                InputStream rest = socket.getInputStream();
                byte[] sink = new byte[8 * 1024];
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_TOTAL_MS);
                long dropped = 0;
                while (dropped < MAX_LINGER_BYTES && System.nanoTime() - until < 0) {
                    int n = rest.read(sink);
                    if (n < 0) {
                        break;
                    }
                    dropped += n;
                }
            } catch (IOException enough) {
                // the client stopped sending, or closed
            }
        }

        void closeIfIdle() {
            if (idle) {
                close();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private record TimerKey(String method, String uri, int status) {
    }

    /** The methods the timer names; any other is {@code OTHER}, so that made-up methods cannot grow the series. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE", "CONNECT");

    private void time(String method, String uri, int status, long begin) {
        Timer timer = timers.computeIfAbsent(new TimerKey(METHODS.contains(method) ? method : "OTHER", uri, status),
                k -> Timer
                .builder("annals.data.plane.requests")
                .description("Requests answered on the data plane's port, from their first byte to their answer")
                .tag("method", k.method()).tag("uri", k.uri()).tag("status", Integer.toString(k.status()))
                .tag("outcome", outcome(k.status()))
                .publishPercentileHistogram()
                .register(meters));
        timer.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
    }

    private static String outcome(int status) {
        return status < 200 ? "INFORMATIONAL" : status < 300 ? "SUCCESS" : status < 400 ? "REDIRECTION"
                : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    static byte[] head(int status, String contentType, int length, String header, String value, boolean close) {
        return head(status, contentType, length, header, value, close, false);
    }

    /** A response's status line and headers. */
    static byte[] head(int status, String contentType, int length, String header, String value, boolean close,
                       boolean keepAlive10) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(length).append("\r\n");
        if (header != null) {
            head.append(header).append(": ").append(value).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        } else if (keepAlive10) {
            head.append("Connection: keep-alive\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    /** Reading of a connection's bytes without the locks of {@code BufferedInputStream}. */
    static final class HttpInput {

        private final InputStream in;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        /** When a read must have come by ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} for no deadline. */
        private long deadline = Long.MAX_VALUE;
        private int lineBytes;

        HttpInput(InputStream in) {
            this.in = in;
        }

        /**
         * From now on, a read that needs more bytes after {@code nanos} fails as timed out, however often bytes
         * trickle in (each read alone is bounded by the socket's timeout); {@link Long#MAX_VALUE}: no deadline.
         */
        void deadline(long nanos) {
            deadline = nanos;
        }

        /** Waits for the next byte; false at the end of the stream. */
        boolean awaitData() throws IOException {
            return position < limit || fill();
        }

        private boolean fill() throws IOException {
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
                throw new java.net.SocketTimeoutException("the deadline passed");
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /**
         * The next line without its CRLF (or bare LF), into {@code line}; null when more than {@code maxBytes} bytes,
         * its LF included, come without one ({@link #lineBytes()} then tells how many a line took).
         *
         * @throws EOFException at the end of the stream, in the middle of {@code where}
         */
        String line(StringBuilder line, int maxBytes, String where) throws IOException {
            line.setLength(0);
            for (int n = 1; ; n++) {
                int b = read();
                if (b < 0) {
                    throw new EOFException("the connection closed in the middle of " + where);
                }
                if (n > maxBytes) {
                    return null;
                }
                if (b == '\n') {
                    lineBytes = n;
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }

        /** The bytes the last {@link #line} took, its LF included. */
        int lineBytes() {
            return lineBytes;
        }

        /** The next byte, or -1 at the end of the stream. */
        int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        /** Up to {@code length} bytes into {@code into}; -1 at the end of the stream. */
        int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (length >= buffer.length) {
                    return in.read(into, offset, length);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
