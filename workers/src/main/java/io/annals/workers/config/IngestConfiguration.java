package io.annals.workers.config;

import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Batch ingest: streamed, checked row by row, stored write-once. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
public class IngestConfiguration {

    @Bean
    BatchIngestService batchIngestService(ArtifactStore store, DatasetSchemas schemas, CommandPort commands,
                                          WorkerSettings settings) {
        return new BatchIngestService(store, schemas, commands, settings.workDir().resolve("ingest"));
    }
}
