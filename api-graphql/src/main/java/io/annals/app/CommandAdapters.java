package io.annals.app;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetBatches;
import io.annals.workers.port.DatasetSchemas;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process implementations of the ports the workers use to reach the command side. */
@Configuration(proxyBeanMethods = false)
public class CommandAdapters {

    private static final Logger log = LoggerFactory.getLogger(CommandAdapters.class);

    /** How many times a command that lost a race for its stream is sent again before the caller hears of it. */
    static final int ATTEMPTS = 5;

    @Bean
    CommandPort commandPort(CommandGateway gateway) {
        return port(gateway);
    }

    /**
     * Sends commands through the gateway. A command whose events lost the race for their stream to another command
     * (two processes, or a person and a pipeline's clock, changing one entity at once) recorded nothing; it is sent
     * again, decided anew on the state the winner left, a few times with a short pause, before the caller is told
     * ({@code CONFLICT}). A stream created twice is not a race but a duplicate, and is not sent again.
     */
    static CommandPort port(CommandGateway gateway) {
        return new CommandPort() {
            @Override
            @SuppressWarnings("unchecked")
            public <R> R send(Object command, Actor actor, String correlationId) {
                Map<String, Object> metadata = new HashMap<>();
                metadata.put(MetadataKeys.ACTOR, actor.value());
                if (correlationId != null) {
                    metadata.put(MetadataKeys.CORRELATION_ID, correlationId);
                }
                for (int attempt = 1; ; attempt++) {
                    try {
                        return (R) gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                                .andMetaData(metadata));
                    } catch (RuntimeException e) {
                        if (attempt >= ATTEMPTS || !lostARace(e)) {
                            throw e;
                        }
                        log.debug("{} lost a race for its stream (attempt {}); sending it again",
                                command.getClass().getSimpleName(), attempt);
                        pause(attempt);
                    }
                }
            }
        };
    }

    private static boolean lostARace(RuntimeException e) {
        Throwable cause = e instanceof CommandExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof ConcurrencyException && !(cause instanceof AggregateStreamCreationException);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a command again", interrupted);
        }
    }

    /** Reads the schema from the Dataset aggregate, so an ingest right after registration sees it. */
    @Bean
    DatasetSchemas datasetSchemas(CommandRecords records) {
        return records::schema;
    }

    /** Reads a batch's location and digest from the Dataset aggregate: the record, not a projection of it. */
    @Bean
    DatasetBatches datasetBatches(CommandRecords records) {
        return records::batch;
    }
}
