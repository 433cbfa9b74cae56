package io.annals.workers.config;

import io.annals.infra.clients.KafkaClients;
import io.annals.workers.config.WorkerEventsConfiguration.WorkerEvents;
import io.annals.workers.drift.DriftDetector;
import io.annals.workers.drift.DriftMonitor;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.port.CommandPort;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The drift monitor role. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
@Import(WorkerEventsConfiguration.class)
public class DriftMonitorConfiguration {

    @Bean(destroyMethod = "close")
    DriftMonitor driftMonitor(KafkaClients kafka, WorkerEvents events, WorkerSettings settings, CommandPort commands,
                              MeterRegistry meters) {
        WorkerSettings.Drift drift = settings.drift();
        return new DriftMonitor(events.stream("drift-monitor"),
                kafka.consumer("drift-monitor", "annals-drift-monitor"), commands,
                new DriftDetector(drift.defaults()),
                meters);
    }

    @Bean(destroyMethod = "close")
    WorkerLoop driftLoop(DriftMonitor monitor) {
        return new WorkerLoop("annals-drift-monitor", monitor::step, monitor::wakeup);
    }
}
