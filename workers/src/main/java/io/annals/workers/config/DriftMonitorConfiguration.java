package io.annals.workers.config;

import io.annals.workers.drift.DriftMonitor;
import io.annals.workers.events.EventStream;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.port.CommandPort;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The drift monitor role. */
@Configuration(proxyBeanMethods = false)
public class DriftMonitorConfiguration {

    @Bean(destroyMethod = "close")
    DriftMonitor driftMonitor(@Value("${annals.kafka.bootstrap-servers}") String bootstrap,
                              @Value("${annals.workers.drift.default-psi-threshold:0.2}") double threshold,
                              @Value("${annals.workers.drift.default-window-size:500}") int window,
                              CommandPort commands) {
        return new DriftMonitor(bootstrap, new EventStream(bootstrap, "drift-monitor"), commands, threshold, window);
    }

    @Bean(destroyMethod = "close")
    WorkerLoop driftLoop(DriftMonitor monitor) {
        return new WorkerLoop("annals-drift-monitor", monitor::step, monitor::wakeup);
    }
}
