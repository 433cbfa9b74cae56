package io.annals.workers.config;

import io.annals.workers.ingest.BatchIngestService;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class IngestConfiguration {

    @Bean
    BatchIngestService batchIngestService(ArtifactStore store, DatasetSchemas schemas, CommandPort commands,
                                          @Value("${annals.work-dir}") Path workDir) {
        return new BatchIngestService(store, schemas, commands, workDir.resolve("ingest"));
    }
}
