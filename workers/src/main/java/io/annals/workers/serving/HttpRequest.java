package io.annals.workers.serving;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.x request as {@link DataPlaneServer} reads it from a connection: its head parsed and bounded here, its
 * body read by the route as it needs it ({@link Body}).
 */
final class HttpRequest implements ServingCall {

    /** A request that cannot be served: its status (400, 431, 501, 505) and why. */
    static final class Malformed extends IOException {
        private final int status;
        private final String method;
        private final String path;

        Malformed(int status, String message, String method, String path) {
            super(message);
            this.status = status;
            this.method = method == null ? "UNKNOWN" : method;
            this.path = path;
        }

        /** An expected refusal: no stack trace is taken. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        int status() {
            return status;
        }

        String method() {
            return method;
        }

        /** The request's path when it was read before the fault, else null. */
        String path() {
            return path;
        }
    }

    private static final int MAX_EMPTY_LINES = 4;

    private final String method;
    private final String path;
    private final boolean http10;
    private final String[] names;
    private final String[] values;
    private final int headerCount;
    private final long contentLength;
    private final Body body;

    private HttpRequest(String method, String path, boolean http10, String[] names, String[] values, int headerCount,
                        long contentLength, Body body) {
        this.method = method;
        this.path = path;
        this.http10 = http10;
        this.names = names;
        this.values = values;
        this.headerCount = headerCount;
        this.contentLength = contentLength;
        this.body = body;
    }

    /**
     * Reads a request's head from {@code in} (its first byte has arrived); {@code out} takes the {@code 100 Continue}
     * when the route reads a body the client waits to send.
     */
    static HttpRequest read(DataPlaneServer.HttpInput in, OutputStream out) throws IOException {
        Head head = new Head(in);
        String line = head.line();
        for (int empty = 0; line.isEmpty(); empty++) {
            if (empty == MAX_EMPTY_LINES) {
                throw new Malformed(400, "the request line is missing", null, null);
            }
            line = head.line();
        }
        int firstSpace = line.indexOf(' ');
        int lastSpace = line.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace) {
            throw new Malformed(400, "the request line must be 'METHOD target HTTP/1.1', got '" + shorten(line) + "'",
                    null, null);
        }
        String method = line.substring(0, firstSpace);
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                throw new Malformed(400, "the method '" + shorten(method) + "' is not one", null, null);
            }
        }
        String version = line.substring(lastSpace + 1);
        String path = path(line.substring(firstSpace + 1, lastSpace).trim(), method);
        boolean http10;
        if (version.equals("HTTP/1.1")) {
            http10 = false;
        } else if (version.equals("HTTP/1.0")) {
            http10 = true;
        } else if (version.startsWith("HTTP/")) {
            throw new Malformed(505, "this server speaks HTTP/1.1 and HTTP/1.0, not " + shorten(version), method,
                    path);
        } else {
            throw new Malformed(400, "the request line must end with the protocol version, got '" + shorten(version)
                    + "'", method, path);
        }
        String[] names = new String[16];
        String[] values = new String[16];
        int count = 0;
        for (line = head.line(); !line.isEmpty(); line = head.line()) {
            if (count == DataPlaneServer.MAX_HEADERS) {
                throw new Malformed(431, "the request has more than " + DataPlaneServer.MAX_HEADERS + " headers",
                        method, path);
            }
            char first = line.charAt(0);
            int colon = line.indexOf(':');
            if (first == ' ' || first == '\t' || colon <= 0) {
                throw new Malformed(400, "the header line '" + shorten(line) + "' is not 'Name: value'", method, path);
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                    throw new Malformed(400, "the header name '" + shorten(name) + "' is not a token", method, path);
                }
            }
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, count * 2);
                values = java.util.Arrays.copyOf(values, count * 2);
            }
            names[count] = name;
            values[count] = line.substring(colon + 1).trim();
            count++;
        }
        long length = -1;
        String encoding = null;
        boolean expectContinue = false;
        for (int i = 0; i < count; i++) {
            String name = names[i];
            if (name.equalsIgnoreCase("Content-Length")) {
                long value = contentLength(values[i], method, path);
                if (length >= 0 && length != value) {
                    throw new Malformed(400, "the request has two different Content-Length headers", method, path);
                }
                length = value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (encoding != null) {
                    throw new Malformed(400, "the request has two Transfer-Encoding headers", method, path);
                }
                encoding = values[i].toLowerCase(Locale.ROOT);
            } else if (name.equalsIgnoreCase("Expect")) {
                if (!values[i].equalsIgnoreCase("100-continue")) {
                    throw new Malformed(417, "the only expectation taken is 100-continue, not '"
                            + shorten(values[i]) + "'", method, path);
                }
                expectContinue = !http10;
            }
        }
        Body body;
        if (encoding != null) {
            if (length >= 0) {
                throw new Malformed(400, "the request has both Content-Length and Transfer-Encoding", method, path);
            }
            if (!encoding.equals("chunked")) {
                throw new Malformed(501, "the Transfer-Encoding '" + shorten(encoding) + "' is not taken; send the "
                        + "body with a Content-Length, or chunked", method, path);
            }
            body = new Body(in, out, -1, expectContinue);
        } else {
            body = new Body(in, out, Math.max(length, 0), expectContinue && length > 0);
        }
        return new HttpRequest(method, path, http10, names, values, count, length, body);
    }

    private static long contentLength(String value, String method, String path) throws Malformed {
        if (value.isEmpty() || value.length() > 18) {
            throw new Malformed(400, "Content-Length '" + shorten(value) + "' is not a number of bytes", method, path);
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new Malformed(400, "Content-Length '" + shorten(value) + "' is not a number of bytes", method,
                        path);
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * The decoded path of a request target (origin form {@code /a/b?q}, or absolute form {@code http://host/a/b}),
     * without its query.
     */
    static String path(String target, String method) throws Malformed {
        String raw = target;
        if (raw.regionMatches(true, 0, "http://", 0, 7) || raw.regionMatches(true, 0, "https://", 0, 8)) {
            int slash = raw.indexOf('/', raw.indexOf("//") + 2);
            raw = slash < 0 ? "/" : raw.substring(slash);
        }
        int query = raw.indexOf('?');
        if (query >= 0) {
            raw = raw.substring(0, query);
        }
        int fragment = raw.indexOf('#');
        if (fragment >= 0) {
            raw = raw.substring(0, fragment);
        }
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new Malformed(400, "the request target '" + shorten(target) + "' is not a path", method, null);
        }
        if (raw.indexOf('%') < 0) {
            checkCharacters(raw, target, method);
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new Malformed(400, "the request target '" + shorten(target) + "' has a malformed "
                            + "%-escape", method, null);
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String decoded = bytes.toString(StandardCharsets.UTF_8);
        checkCharacters(decoded, target, method);
        return decoded;
    }

    private static void checkCharacters(String path, String target, String method) throws Malformed {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                throw new Malformed(400, "the request target '" + shorten(target) + "' has a control character or "
                        + "bytes that are not UTF-8", method, null);
            }
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        for (int i = 0; i < headerCount; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public Body body() {
        return body;
    }

    boolean http10() {
        return http10;
    }

    /** Whether the client keeps the connection for another request. */
    boolean keepAlive() {
        String connection = header("Connection");
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return http10 ? tokens.contains("keep-alive") : !tokens.contains("close");
    }

    /** A request's head, line by line, bounded in bytes. */
    private static final class Head {
        private final DataPlaneServer.HttpInput in;
        private final StringBuilder line = new StringBuilder(128);
        private int bytes;

        Head(DataPlaneServer.HttpInput in) {
            this.in = in;
        }

        /** The next line without its CRLF (or bare LF). */
        String line() throws IOException {
            String next = in.line(line, DataPlaneServer.MAX_HEAD_BYTES - bytes, "a request's head");
            if (next == null) {
                throw new Malformed(431, "the request line and headers are larger than "
                        + DataPlaneServer.MAX_HEAD_BYTES + " bytes", null, null);
            }
            bytes += in.lineBytes();
            return next;
        }
    }

    /**
     * A request's body as the route reads it: by its {@code Content-Length}, or chunked. It sends the
     * {@code 100 Continue} the client waits for when first read. Closing it closes nothing (the connection stays).
     */
    static final class Body extends InputStream {
        private static final int MAX_CHUNK_LINE = 1024;
        private static final int MAX_TRAILER_BYTES = 8 * 1024;

        private final DataPlaneServer.HttpInput in;
        private final OutputStream out;
        private final boolean chunked;
        private final StringBuilder line = new StringBuilder();
        /** Bytes left in the body (by length) or in the current chunk. */
        private long left;
        private boolean done;
        private boolean failed;
        private boolean timedOut;
        private boolean continueDue;

        Body(DataPlaneServer.HttpInput in, OutputStream out, long length, boolean expectContinue) {
            this.in = in;
            this.out = out;
            this.chunked = length < 0;
            this.left = Math.max(length, 0);
            this.done = length == 0;
            this.continueDue = expectContinue && !done;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (done || length == 0) {
                return done ? -1 : 0;
            }
            if (failed) {
                throw new IOException("the request's body could not be read");
            }
            try {
                if (continueDue) {
                    continueDue = false;
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                if (chunked && left == 0) {
                    left = chunkSize();
                    if (left == 0) {
                        trailers();
                        done = true;
                        return -1;
                    }
                }
                int n = in.read(into, offset, (int) Math.min(length, left));
                if (n < 0) {
                    throw new EOFException("the connection closed in the middle of the request's body");
                }
                left -= n;
                if (left == 0) {
                    if (chunked) {
                        endOfChunk();
                    } else {
                        done = true;
                    }
                }
                return n;
            } catch (SocketTimeoutException e) {
                failed = true;
                timedOut = true;
                throw e;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        private long chunkSize() throws IOException {
            String line = line(MAX_CHUNK_LINE);
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (hex.isEmpty() || hex.length() > 10) {
                throw new IOException("malformed chunk size '" + shorten(line) + "'");
            }
            long size = 0;
            for (int i = 0; i < hex.length(); i++) {
                int digit = Character.digit(hex.charAt(i), 16);
                if (digit < 0) {
                    throw new IOException("malformed chunk size '" + shorten(line) + "'");
                }
                size = size * 16 + digit;
            }
            return size;
        }

        private void endOfChunk() throws IOException {
            if (!line(2).isEmpty()) {
                throw new IOException("a chunk's data is longer than its size");
            }
        }

        private void trailers() throws IOException {
            int bytes = 0;
            for (String line = line(MAX_TRAILER_BYTES); !line.isEmpty(); line = line(MAX_TRAILER_BYTES)) {
                bytes += line.length() + 2;
                if (bytes > MAX_TRAILER_BYTES) {
                    throw new IOException("the body's trailers are larger than " + MAX_TRAILER_BYTES + " bytes");
                }
            }
        }

        private String line(int max) throws IOException {
            String next = in.line(line, max + 1, "the request's body");
            if (next == null) {
                throw new IOException("a line of the chunked body is longer than " + max + " bytes");
            }
            return next;
        }

        /** True when a read of the body timed out: the answer is 408. */
        boolean timedOut() {
            return timedOut;
        }

        /**
         * Reads what the route left of the body, up to {@code maxBytes}, so that the connection can take the next
         * request; false when it cannot (the body failed, is larger, or the client still waits for a
         * {@code 100 Continue} that was never sent and may or may not send it).
         */
        boolean finish(long maxBytes) {
            if (done) {
                return true;
            }
            if (failed || continueDue || !chunked && left > maxBytes) {
                return false;
            }
            byte[] scratch = new byte[8 * 1024];
            long drained = 0;
            try {
                while (drained <= maxBytes) {
                    int n = read(scratch, 0, scratch.length);
                    if (n < 0) {
                        return true;
                    }
                    drained += n;
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        }

        @Override
        public void close() {
            // the connection stays open for the next request
        }
    }
}
