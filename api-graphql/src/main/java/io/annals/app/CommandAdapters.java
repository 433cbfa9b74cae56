package io.annals.app;

import io.annals.app.records.CommandRecords;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetBatches;
import io.annals.workers.port.DatasetSchemas;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The in-process implementations of the ports the workers use to reach the command side. */
@Configuration(proxyBeanMethods = false)
public class CommandAdapters {

    @Bean
    CommandPort commandPort(CommandGateway gateway) {
        return new CommandPort() {
            @Override
            @SuppressWarnings("unchecked")
            public <R> R send(Object command, Actor actor, String correlationId) {
                Map<String, Object> metadata = new HashMap<>();
                metadata.put(MetadataKeys.ACTOR, actor.value());
                if (correlationId != null) {
                    metadata.put(MetadataKeys.CORRELATION_ID, correlationId);
                }
                return (R) gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
            }
        };
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
