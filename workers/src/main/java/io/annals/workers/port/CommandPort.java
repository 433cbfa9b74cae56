package io.annals.workers.port;

import io.annals.command.api.common.Actor;

/**
 * How workers send commands back to the command side. In one process this is the Axon command gateway; a worker
 * deployed alone would send them over the network instead.
 */
public interface CommandPort {

    /**
     * Sends a command and waits for its result.
     *
     * @param actor         who the command is recorded as coming from
     * @param correlationId the correlation id of what caused it, or null to start a new one
     * @throws RuntimeException with the command side's message when the command is refused
     */
    <R> R send(Object command, Actor actor, String correlationId);
}
