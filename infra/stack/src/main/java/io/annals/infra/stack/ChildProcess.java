package io.annals.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process that must not outlive us. Its pid is written next to its data, so a process left by a
 * platform that was killed outright is stopped at the next start; on close the whole process tree is stopped.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path pidFile, Path logFile) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
        this.logFile = logFile;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path workDir,
                              Path pidFile, Path logFile) {
        stopLeftover(name, pidFile);
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return new ChildProcess(name, process, pidFile, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
        }
    }

    private static void stopLeftover(String name, Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> leftover = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (leftover.isPresent()) {
                log.warn("Stopping {} left running by an earlier platform (pid {})", name, pid);
                stopTree(leftover.get(), Duration.ofSeconds(20));
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("Ignoring unreadable pid file {}: {}", pidFile, e.toString());
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue()
                    + "; the end of its log " + logFile + ":\n" + tail(logFile, 40));
        }
    }

    /** The writing end of the child's standard input; closing it tells a child that watches it to exit. */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stopTree(process.toHandle(), Duration.ofSeconds(30));
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.debug("could not delete {}", pidFile, e);
        }
    }

    private static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroy();
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : concat(root, descendants)) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                handle.destroyForcibly();
            }
        }
    }

    private static List<ProcessHandle> concat(ProcessHandle root, List<ProcessHandle> rest) {
        var all = new java.util.ArrayList<ProcessHandle>(rest.size() + 1);
        all.add(root);
        all.addAll(rest);
        return all;
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
