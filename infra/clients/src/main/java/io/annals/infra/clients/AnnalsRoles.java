package io.annals.infra.clients;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * The roles a process runs, from {@code annals.roles} (a comma-separated list, "all" by default). Every module asks
 * here, so that a role is spelled and checked in one place.
 */
public final class AnnalsRoles {

    public static final Set<String> KNOWN = Set.of("all", "command", "query", "api", "training-worker",
            "serving-worker", "drift-monitor", "webhook-dispatcher");

    private AnnalsRoles() {
    }

    /**
     * Whether this process runs {@code role} ("all" runs every role).
     *
     * @throws IllegalArgumentException when {@code annals.roles} names a role this build does not know
     */
    public static boolean runs(Environment environment, String role) {
        Set<String> roles = Arrays.stream(environment.getProperty("annals.roles", "all").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String r : roles) {
            if (!KNOWN.contains(r)) {
                throw new IllegalArgumentException("unknown role '" + r + "' in annals.roles; known: " + KNOWN);
            }
        }
        return roles.contains("all") || roles.contains(role);
    }

    /**
     * Whether this process opens the event store and its database: the command role appends to it, the query role
     * reads it and keeps its processors' tokens beside it. Every other role reaches the record through a command
     * process, and such a process needs no database.
     */
    public static boolean usesEventStore(Environment environment) {
        return runs(environment, "command") || runs(environment, "query");
    }

    /**
     * Whether this process runs Axon's buses and configuration: the command and query roles do, and the API (its
     * queries go through Axon's query bus). A process of workers only sends commands, through the command port, and
     * needs nothing else of Axon.
     */
    public static boolean usesAxon(Environment environment) {
        return usesEventStore(environment) || runs(environment, "api");
    }
}
