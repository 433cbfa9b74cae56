package io.annals.workers.config;

import io.annals.workers.events.EventStream;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.serving.PredictController;
import io.annals.workers.serving.ScoreLog;
import io.annals.workers.serving.ServingRegistry;
import io.annals.workers.storage.ArtifactStore;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The serving worker role: the predict endpoint, the models it serves, and the score log. */
@Configuration(proxyBeanMethods = false)
public class ServingConfiguration {

    @Bean(destroyMethod = "close")
    ServingRegistry servingRegistry(@Value("${annals.kafka.bootstrap-servers}") String bootstrap,
                                    @Value("${annals.work-dir}") Path workDir,
                                    @Value("${annals.workers.serving.predictors-per-model:2}") int predictors,
                                    ArtifactStore store) {
        return new ServingRegistry(new EventStream(bootstrap, "serving-worker"), store, workDir.resolve("serving"),
                predictors);
    }

    @Bean(destroyMethod = "close")
    WorkerLoop servingLoop(ServingRegistry registry) {
        return new WorkerLoop("annals-serving-worker", registry::step, registry::wakeup);
    }

    @Bean(destroyMethod = "close")
    ScoreLog scoreLog(@Value("${annals.kafka.bootstrap-servers}") String bootstrap) {
        return new ScoreLog(bootstrap);
    }

    @Bean
    PredictController predictController(ServingRegistry registry, ScoreLog scores) {
        return new PredictController(registry, scores);
    }
}
