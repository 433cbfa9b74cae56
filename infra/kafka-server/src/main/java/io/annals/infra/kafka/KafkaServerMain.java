package io.annals.infra.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a single-node KRaft broker in a child JVM: formats the log directory when it is new, then starts
 * {@code kafka.Kafka}. The parent keeps this process's standard input open; when the parent dies, for whatever
 * reason, the input closes and the broker exits, so no broker outlives the platform.
 *
 * <p>Arguments: the server properties file and the cluster id.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaServerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        watchParent(System.in);
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "--ignore-formatted", "-t", args[1], "-c", args[0]},
                new PrintStream(System.out, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            System.err.println("formatting the Kafka log directory failed with status " + formatted);
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }

    private static void watchParent(InputStream parent) {
        Thread watcher = new Thread(() -> {
            try {
                while (parent.read() >= 0) {
                    // the parent never writes; we only wait for end of stream
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone as well
            }
            System.err.println("parent process is gone; stopping the Kafka broker");
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
