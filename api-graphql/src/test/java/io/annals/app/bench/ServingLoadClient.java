package io.annals.app.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * The load client of {@link ServingBenchmarkIT}, in a JVM of its own so that its allocation, garbage collection and
 * JIT do not land on the server it measures. It speaks HTTP/1.1 over plain sockets (a request is a prepared array of
 * bytes; a response is read to its end, by length or by chunks), so that the client's own cost is small and steady.
 *
 * <p>Open loop: requests are due at fixed instants ({@code rate} per second), taken in turn by a pool of connections,
 * each sending its own at their instants; each request's latency runs from the instant it was due, not from when its
 * connection was free to send it, so a stalled server is charged for every request that waited behind the stall (no
 * coordinated omission). It warms up every kind of request for {@code warmupSeconds}, prints {@code warm}, waits for a line on
 * standard input (the server's JIT going quiet), then measures and prints one line per kind and rate (each predict
 * kind first runs {@value #SETTLE_SECONDS} s unmeasured at the lowest rate):
 * {@code result kind rate p50 p99 p99.9 achieved errors} (milliseconds, requests per second), then
 * {@code reconnects kind rate count p50 p99}: the requests that had to open their connection again because the server
 * had closed it after its last answer, and their latencies. The connections of a rate are open before its first
 * request. For batches: {@code batch kind rowsPerSecond p50}.
 *
 * <p>Arguments: host port token endpoint featureCount warmupSeconds secondsPerRate rates (comma-separated)
 * [rawPort [dataPlanePort]]: with the port of a {@link RawHttpServer}, the same trivial request to it is measured
 * first, as "raw"; with the data plane's port, the trivial route, single-row predictions over both APIs and V2 batches
 * are measured there too, as "trivial-dp", "json-dp", "v2-dp" and "v2-batch-dp".
 */
public final class ServingLoadClient {

    /** One kind of request: the port it goes to and its bytes, ready to write on any connection there. */
    record Kind(String name, int port, byte[] request) {

        /** The same request to the data plane's port, named {@code <name>-dp}. */
        Kind on(int dataPlanePort) {
            String text = new String(request, StandardCharsets.ISO_8859_1).replaceFirst("\r\nHost: ([^:\r]+):\\d+",
                    "\r\nHost: $1:" + dataPlanePort);
            return new Kind(name + "-dp", dataPlanePort, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Whether its requests are scored (and read by the drift monitor). */
        boolean scores() {
            return name.startsWith("json") || name.startsWith("v2");
        }
    }

    /** How long each predict kind runs unmeasured before its measured rates. */
    private static final int SETTLE_SECONDS = 3;
    /** Connections of an open-loop rate, each sending every 32nd request. */
    private static final int CONNECTIONS = 32;

    private final String host;
    private final int port;
    private final String token;
    private final String endpoint;
    private final int features;

    private ServingLoadClient(String host, int port, String token, String endpoint, int features) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.endpoint = endpoint;
        this.features = features;
    }

    public static void main(String[] args) throws Exception {
        ServingLoadClient client = new ServingLoadClient(args[0], Integer.parseInt(args[1]), args[2], args[3],
                Integer.parseInt(args[4]));
        int warmupSeconds = Integer.parseInt(args[5]);
        int secondsPerRate = Integer.parseInt(args[6]);
        int[] rates = Arrays.stream(args[7].split(",")).mapToInt(Integer::parseInt).toArray();
        List<Kind> single = new ArrayList<>(List.of(client.trivial(), client.json(1), client.v2(1)));
        List<Kind> batches = new ArrayList<>(List.of(client.json(1_000), client.v2(1_000)));
        if (args.length > 8) {
            single.add(0, client.raw(Integer.parseInt(args[8])));
        }
        if (args.length > 9) {
            // the data plane's own port: each kind right after the same kind on the main port
            int dataPlane = Integer.parseInt(args[9]);
            single.add(indexOf(single, "trivial") + 1, client.trivial().on(dataPlane));
            single.add(indexOf(single, "json") + 1, client.json(1).on(dataPlane));
            single.add(client.v2(1).on(dataPlane));
            batches.add(client.v2(1_000).on(dataPlane));
        }

        long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        List<Kind> all = new ArrayList<>(single);
        all.addAll(batches);
        List<Connection> connections = all.stream().map(client::connect).toList();
        while (System.nanoTime() < warmUntil) {
            for (int k = 0; k < all.size(); k++) {
                connections.get(k).exchange(all.get(k));
            }
        }
        connections.forEach(Connection::close);
        System.out.println("warm");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

        for (Kind kind : single) {
            if (kind.scores()) {
                // unmeasured: this client repeats one row, which the drift monitor finds drifted, and the alerts it
                // raises when scoring resumes after the quiet phases before (commands, events, projections, the
                // webhook and subscription fan-out, all within a second) once landed in the first predict phase's
                // tail; they land here now
                client.openLoop(kind, rates[0], SETTLE_SECONDS, false);
            }
            for (int rate : rates) {
                client.openLoop(kind, rate, secondsPerRate, true);
            }
        }
        for (Kind kind : batches) {
            client.batch(kind, secondsPerRate);
        }
    }

    private static int indexOf(List<Kind> kinds, String name) {
        return kinds.indexOf(kinds.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow());
    }

    private Kind trivial() {
        return new Kind("trivial", port, request("GET", "/v2/health/live", null));
    }

    /** The same request as {@link #trivial()}, to {@link RawHttpServer} on {@code rawPort}: the machine's ceiling. */
    private Kind raw(int rawPort) {
        return new Kind("raw", rawPort, request("GET", "/v2/health/live", null));
    }

    /** A JSON API request of {@code rows} rows, values spread like the training data. */
    private Kind json(int rows) {
        StringBuilder body = new StringBuilder("{\"rows\":[");
        java.util.Random random = new java.util.Random(rows);
        for (int r = 0; r < rows; r++) {
            body.append(r == 0 ? "{" : ",{");
            for (int f = 0; f < features; f++) {
                body.append(f == 0 ? "" : ",").append("\"x").append(f + 1).append("\":")
                        .append(String.format(Locale.ROOT, "%.3f", random.nextGaussian()));
            }
            body.append('}');
        }
        body.append("]}");
        return new Kind(rows == 1 ? "json" : "json-batch", port, request("POST",
                "/v1/endpoints/" + endpoint + "/predict", body.toString()));
    }

    /** An Open Inference Protocol request: one FP32 tensor of {@code [rows, features]} in signature order. */
    private Kind v2(int rows) {
        StringBuilder data = new StringBuilder();
        java.util.Random random = new java.util.Random(rows);
        for (int i = 0; i < rows * features; i++) {
            data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", random.nextGaussian()));
        }
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows + "," + features
                + "],\"data\":[" + data + "]}]}";
        return new Kind(rows == 1 ? "v2" : "v2-batch", port, request("POST", "/v2/models/" + endpoint + "/infer",
                body));
    }

    private byte[] request(String method, String path, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
                + token + "\r\n" + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
                + content.length + "\r\n") + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    private Connection connect(Kind kind) {
        return new Connection(host, kind.port());
    }

    /**
     * {@code rate} requests a second for {@code seconds}, each due at its instant, over {@value #CONNECTIONS}
     * connections, each with a thread of its own that keeps its own share of the schedule: connection {@code c} sends
     * requests {@code c}, {@code c + 32}, {@code c + 64}, … at their instants, so a request is sent by the thread
     * that wakes for it, with no hand-over between threads of the client (an earlier version had one thread wake
     * at each instant and pass the request through a queue to a connection's thread: two wake-ups of the client's
     * per request, each a wait for a core, inside the measured time). A request's latency runs from its instant, so a
     * connection still waiting for an answer past its next instant is charged for the wait (no coordinated
     * omission); a stall shorter than {@value #CONNECTIONS} requests' spacing delays no other connection's sends.
     */
    private void openLoop(Kind kind, int rate, int seconds, boolean measured) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] latencies = new long[total];
        boolean[] reconnected = new boolean[total];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(CONNECTIONS);
        long[] start = new long[1];
        CountDownLatch started = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < CONNECTIONS; w++) {
            int first = w;
            Thread t = new Thread(() -> {
                Connection c = connect(kind);
                try {
                    c.connectNow();
                } finally {
                    connected.countDown();
                }
                try {
                    started.await();
                    for (int i = first; i < total; i += CONNECTIONS) {
                        long at = start[0] + i * period;
                        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        int status;
                        boolean fresh = !c.isOpen();
                        try {
                            status = c.exchange(kind);
                        } catch (UncheckedIOException e) {
                            c.close();
                            c = connect(kind);
                            status = -1;
                        }
                        latencies[i] = System.nanoTime() - at;
                        reconnected[i] = fresh;
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    c.close();
                }
            }, "load-" + w);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        connected.await(); // a client in its steady state has its connections open before the first request
        start[0] = System.nanoTime() + 10_000_000L;
        started.countDown(); // publishes start[0] to the connections' threads
        for (Thread t : workers) {
            t.join();
        }
        if (!measured) {
            return;
        }
        double elapsed = (System.nanoTime() - start[0]) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "result %s %d %.3f %.3f %.3f %.0f %d%n", kind.name(), rate,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999), total / elapsed,
                errors.get());
        long[] fresh = IntStream.range(0, total).filter(i -> reconnected[i]).mapToLong(i -> latencies[i])
                .sorted().toArray();
        System.out.printf(Locale.ROOT, "reconnects %s %d %d %.3f %.3f%n", kind.name(), rate, fresh.length,
                percentile(fresh, 0.50), percentile(fresh, 0.99));
        System.out.flush();
    }

    /** Batch requests one after another on one connection for {@code seconds}: rows per second and the median. */
    private void batch(Kind kind, int seconds) {
        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int errors = 0;
        long begin = System.nanoTime();
        try (Connection c = connect(kind)) {
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                if (c.exchange(kind) != 200) {
                    errors++;
                }
                times.add(System.nanoTime() - t0);
            }
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "batch %s %.0f %.3f %d%n", kind.name(), times.size() * 1_000 / elapsed,
                percentile(sorted, 0.5), errors);
        System.out.flush();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** One kept-alive HTTP/1.1 connection; reconnects when the server closes it. */
    public static final class Connection implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        public Connection(String host, int port) {
            this.host = host;
            this.port = port;
        }

        private void open() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
        }

        /** Opens the connection now rather than with its first request; a failure is left to that request. */
        void connectNow() {
            try {
                if (socket == null) {
                    open();
                }
            } catch (IOException e) {
                close();
            }
        }

        /** Whether a connection is open: false before the first request and after the server closed it. */
        public boolean isOpen() {
            return socket != null;
        }

        /** Sends a request and reads its whole response; the answer is the status. */
        int exchange(Kind kind) {
            return exchange(kind.request(), null);
        }

        /**
         * Sends a request's bytes and reads its whole response; the answer is the status, and the body is appended to
         * {@code body} when it is not null (by its length or its chunks).
         */
        public int exchange(byte[] request, StringBuilder body) {
            try {
                if (socket == null) {
                    open();
                }
                out.write(request);
                out.flush();
                return readResponse(body);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            }
        }

        private int readResponse(StringBuilder body) throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("the server closed the connection");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closing = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            ByteArrayOutputStream content = body == null ? null : new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    content(size, content);
                    line();
                }
                line();
            } else if (length > 0) {
                content(length, content);
            }
            if (body != null) {
                body.append(content.toString(StandardCharsets.UTF_8));
            }
            if (closing) {
                close();
            }
            return code;
        }

        /** Reads {@code n} bytes of the body into {@code content}, or skips them when it is null. */
        private void content(long n, ByteArrayOutputStream content) throws IOException {
            if (content == null) {
                skip(n);
                return;
            }
            byte[] bytes = in.readNBytes((int) n);
            if (bytes.length < n) {
                throw new IOException("the response ended early");
            }
            content.write(bytes);
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("the response ended early");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    int end = s.length();
                    return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
                }
                s.append((char) b);
            }
            return s.isEmpty() ? null : s.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
