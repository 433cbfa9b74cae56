package io.annals.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server of the embedded stack stopped with SIGSTOP, with every process of its tree, until closed (SIGCONT): it
 * keeps its ports and connections but answers nothing, as a hung or overloaded server does.
 */
final class FrozenServer implements AutoCloseable {

    private final String name;
    private final List<Long> pids;

    private FrozenServer(String name, List<Long> pids) {
        this.name = name;
        this.pids = pids;
    }

    /** @param pidFile the pid file the embedded stack keeps next to the server's data */
    static FrozenServer freeze(String name, Path pidFile) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() ->
                new IllegalStateException(name + " (pid " + pid + ") is not running"));
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(p -> pids.add(p.pid()));
        signal("-STOP", pids);
        System.out.println("Froze " + name + " (pids " + pids + ")");
        return new FrozenServer(name, pids);
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        int status = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        signal("-CONT", pids);
        System.out.println("Thawed " + name);
    }
}
