package io.annals.app.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The ceiling of {@link ServingBenchmarkIT}'s tail: the least an HTTP server can do on this machine, in a JVM of its
 * own beside the platform and its stack. It answers every request on a kept-alive HTTP/1.1 connection with the same
 * small JSON body, from one blocking thread per connection, reading nothing but the request's head and its
 * {@code Content-Length} bytes: no framework, no filters, no pool handing the socket from a poller to a worker. Its
 * latency under {@link ServingLoadClient} is what the machine, the kernel's scheduler and the client add to any
 * request, whatever serves it.
 *
 * <p>Prints {@code port <n>} once it listens; runs until its standard input closes.
 */
public final class RawHttpServer {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15"
            + "\r\n\r\n{\"live\":true}\r\n").getBytes(StandardCharsets.US_ASCII);

    private RawHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        System.out.println("port " + server.getLocalPort());
        System.out.flush();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread connection = new Thread(() -> serve(socket), "raw-" + socket.getPort());
                    connection.setDaemon(true);
                    connection.start();
                }
            } catch (IOException closed) {
                // the server is stopping
            }
        }, "raw-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        while (System.in.read() >= 0) {
            // runs until the harness closes our standard input or is gone
        }
        server.close();
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (true) {
                long length = readHead(in);
                if (length < 0) {
                    return;
                }
                for (long left = length; left > 0; left--) {
                    if (in.read() < 0) {
                        return;
                    }
                }
                out.write(RESPONSE);
                out.flush();
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    /** Reads a request's head; the answer is its {@code Content-Length} (0 without one), or -1 at the end. */
    private static long readHead(InputStream in) throws IOException {
        long length = 0;
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1
                        : line.length();
                if (end == 0) {
                    return length;
                }
                String header = line.substring(0, end).toLowerCase(Locale.ROOT);
                if (header.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return -1;
    }
}
