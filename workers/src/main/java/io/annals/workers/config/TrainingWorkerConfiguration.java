package io.annals.workers.config;

import io.annals.workers.config.WorkerEventsConfiguration.WorkerEvents;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.features.TrainingSetWorker;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.training.TrainingWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The training worker role. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
@Import(WorkerEventsConfiguration.class)
public class TrainingWorkerConfiguration {

    @Bean(destroyMethod = "close")
    TrainingWorker trainingWorker(WorkerEvents events, WorkerSettings settings, CommandPort commands,
                                  ArtifactStore store, MeterRegistry meters) {
        WorkerSettings.Training training = settings.training();
        return new TrainingWorker(training.workerId(), events.stream("training-worker"), commands, store,
                settings.workDir().resolve("training"), training.lease(), Clock.systemUTC(), meters);
    }

    @Bean(destroyMethod = "close")
    WorkerLoop trainingLoop(TrainingWorker worker) {
        return new WorkerLoop("annals-training-worker", worker::step, worker::wakeup);
    }

    @Bean(destroyMethod = "close")
    TrainingSetWorker trainingSetWorker(WorkerEvents events, WorkerSettings settings, CommandPort commands,
                                        DatasetSchemas datasets, ArtifactStore store) {
        WorkerSettings.Training training = settings.training();
        return new TrainingSetWorker(training.workerId(), events.stream("training-set-worker"), commands,
                datasets, store, settings.workDir().resolve("training-sets"), training.lease(),
                training.joinRowsInMemory(), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    WorkerLoop trainingSetLoop(TrainingSetWorker worker) {
        return new WorkerLoop("annals-training-set-worker", worker::step, worker::wakeup);
    }
}
