package io.annals.app;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetBatches;
import io.annals.workers.port.DatasetSchemas;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
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
    DatasetSchemas datasetSchemas(DatasetCatalog catalog) {
        return dataset -> DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> catalog.schema(dataset))
                .getPayload();
    }

    /** Reads a batch's location and digest from the Dataset aggregate: the record, not a projection of it. */
    @Bean
    DatasetBatches datasetBatches(DatasetCatalog catalog) {
        return batch -> DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> catalog.batch(batch))
                .getPayload();
    }
}
