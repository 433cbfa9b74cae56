package io.annals.workers.config;

import io.annals.workers.imports.ModelImportService;
import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Batch ingest (streamed, checked row by row, stored write-once) and model imports. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
public class IngestConfiguration {

    @Bean
    BatchIngestService batchIngestService(ArtifactStore store, DatasetSchemas schemas, CommandPort commands,
                                          WorkerSettings settings) {
        return new BatchIngestService(store, schemas, commands, settings.workDir().resolve("ingest"));
    }

    @Bean
    ModelImportService modelImportService(ArtifactStore store, CommandPort commands, WorkerSettings settings) {
        return new ModelImportService(store, commands, settings.workDir().resolve("imports"));
    }
}
