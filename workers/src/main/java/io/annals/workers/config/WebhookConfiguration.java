package io.annals.workers.config;

import io.annals.infra.clients.KafkaClients;
import io.annals.infra.clients.SecretBox;
import io.annals.workers.config.WorkerEventsConfiguration.WorkerEvents;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.port.CommandPort;
import io.annals.workers.webhook.DeliverySettings;
import io.annals.workers.webhook.WebhookDispatcher;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The webhook dispatcher role. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
@Import(WorkerEventsConfiguration.class)
public class WebhookConfiguration {

    @Bean(destroyMethod = "close")
    WebhookDispatcher webhookDispatcher(KafkaClients kafka, WorkerEvents events, WorkerSettings settings,
                                        CommandPort commands, SecretBox secrets) {
        WorkerSettings.Webhooks w = settings.webhooks();
        return new WebhookDispatcher(events.stream("webhook-dispatcher"), kafka, commands, secrets,
                new DeliverySettings(w.maxAttempts(), w.initialBackoff(), w.maxBackoff(), w.connectTimeout(),
                        w.timeout(), w.source()));
    }

    @Bean(destroyMethod = "close")
    WorkerLoop webhookLoop(WebhookDispatcher dispatcher) {
        return new WorkerLoop("annals-webhook-dispatcher", dispatcher::step, dispatcher::wakeup);
    }
}
