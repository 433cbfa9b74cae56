package io.annals.workers.config;

import io.annals.workers.events.EventStream;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.port.CommandPort;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.training.TrainingWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The training worker role. */
@Configuration(proxyBeanMethods = false)
public class TrainingWorkerConfiguration {

    @Bean(destroyMethod = "close")
    TrainingWorker trainingWorker(@Value("${annals.kafka.bootstrap-servers}") String bootstrap,
                                  @Value("${annals.workers.training.worker-id}") String workerId,
                                  @Value("${annals.workers.training.lease:PT2M}") Duration lease,
                                  @Value("${annals.work-dir}") Path workDir, CommandPort commands,
                                  ArtifactStore store) {
        return new TrainingWorker(workerId, new EventStream(bootstrap, "training-worker"), commands, store,
                workDir.resolve("training"), lease, Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    WorkerLoop trainingLoop(TrainingWorker worker) {
        return new WorkerLoop("annals-training-worker", worker::step, worker::wakeup);
    }
}
