package io.annals.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Annals platform in a JVM of its own (so that a test can kill it, or run several), on this test's classpath,
 * logging to {@code annals.log} in its directory.
 */
public final class ChildPlatform {

    private static final Pattern READY = Pattern.compile("Health\\s+(http://\\S+)/actuator/health");

    private final Process process;
    private final Path log;

    private ChildPlatform(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@link AnnalsApplication} with the arguments; DJL offline on one thread, as the platform runs. */
    public static ChildPlatform start(Path dir, String maxHeap, List<String> arguments) throws IOException {
        return launch(dir, maxHeap, List.of("-cp", System.getProperty("java.class.path"),
                AnnalsApplication.class.getName()), arguments);
    }

    /**
     * Starts the platform from a jar (the packaged one, or the application jar of its extracted layout) with these
     * JVM options before {@code -jar}, and the same settings as {@link #start}.
     */
    public static ChildPlatform startJar(Path dir, String maxHeap, List<String> jvmOptions, Path jar,
                                         List<String> arguments) throws IOException {
        List<String> main = new ArrayList<>(jvmOptions);
        main.addAll(List.of("-jar", jar.toString()));
        return launch(dir, maxHeap, main, arguments);
    }

    private static ChildPlatform launch(Path dir, String maxHeap, List<String> main, List<String> arguments)
            throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx" + maxHeap, "-Daxoniq.update-checker.disabled=true",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        command.addAll(main);
        command.addAll(arguments);
        Path log = dir.resolve("annals.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // a test JVM that exits before stopping it (its Maven stopped, surefire's fork exiting when its parent is
        // gone) takes it along: one left behind ran for two hours beside later benchmarks, retrying its connections
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-child-platform"));
        return new ChildPlatform(process, log);
    }

    /** Its base URL, once its ready line is logged; fails with the log's tail if it exits first. */
    public String awaitReady(Duration timeout) {
        String[] url = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the platform in " + log.getParent() + " exited: " + tail());
            }
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            return false;
        });
        return url[0];
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, and wait: the platform stops what it started. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** The last 60 lines of its log. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
