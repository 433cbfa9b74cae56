package io.annals.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ports for servers that cannot bind port 0 themselves (PostgreSQL, and Kafka's KRaft controller, whose address
 * must be written in its configuration). A port found free may be taken by someone else before the server binds
 * it, so a start that fails while one of its ports is now held by another process is retried on new ports.
 * Servers that can bind port 0 (s3proxy, Elasticsearch) do so and report the port they got.
 */
final class Ports {

    private static final Logger log = LoggerFactory.getLogger(Ports.class);
    static final int ATTEMPTS = 5;

    private Ports() {
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** True when another process holds the port on loopback now. */
    static boolean taken(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** A server start on ports chosen by {@link #freeLoopbackPort()}, which reports the ports it used. */
    interface Start<T> {
        T start(int[] ports);
    }

    /**
     * Starts a server on {@code count} fresh ports; when the start fails and one of those ports turned out to be
     * taken by another process (the race between choosing a port and binding it), starts it again on new ports.
     */
    static <T> T startOnFreePorts(String component, int count, Start<T> start) {
        for (int attempt = 1; ; attempt++) {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ports[i] = freeLoopbackPort();
            }
            try {
                return start.start(ports);
            } catch (RuntimeException e) {
                IntPredicate taken = Ports::taken;
                boolean raced = java.util.Arrays.stream(ports).anyMatch(taken);
                if (!raced || attempt == ATTEMPTS) {
                    throw e;
                }
                log.info("{} could not bind one of {} (another process took it first); starting it on other ports",
                        component, java.util.Arrays.toString(ports));
            }
        }
    }
}
