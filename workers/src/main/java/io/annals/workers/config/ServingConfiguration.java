package io.annals.workers.config;

import io.annals.infra.clients.KafkaClients;
import io.annals.workers.config.WorkerEventsConfiguration.WorkerEvents;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.serving.Inference;
import io.annals.workers.serving.OpenInferenceRoutes;
import io.annals.workers.serving.PredictRoute;
import io.annals.workers.serving.Predictors;
import io.annals.workers.serving.ScoreLog;
import io.annals.workers.serving.ServingMetrics;
import io.annals.workers.serving.ServingRegistry;
import io.annals.workers.serving.ServingServlet;
import io.annals.workers.serving.ShadowTraffic;
import io.annals.workers.storage.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The serving worker role: the predict endpoint, the models it serves, and the score log. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
@Import(WorkerEventsConfiguration.class)
public class ServingConfiguration {

    @Bean
    ServingMetrics servingMetrics(MeterRegistry registry) {
        return new ServingMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    ServingRegistry servingRegistry(WorkerEvents events, WorkerSettings settings, ArtifactStore store,
                                    ServingMetrics metrics) {
        return new ServingRegistry(events.stream("serving-worker"), store,
                settings.workDir().resolve("serving"), new Predictors(settings.serving().predictorsPerModel(),
                        settings.serving().maxPredictorsPerModel()), metrics);
    }

    @Bean(destroyMethod = "close")
    WorkerLoop servingLoop(ServingRegistry registry) {
        return new WorkerLoop("annals-serving-worker", registry::step, registry::wakeup);
    }

    @Bean(destroyMethod = "close")
    ScoreLog scoreLog(KafkaClients kafka, MeterRegistry meters) {
        return new ScoreLog(kafka, meters);
    }

    @Bean(destroyMethod = "close")
    ShadowTraffic shadowTraffic(ScoreLog scores, ServingMetrics metrics, WorkerSettings settings) {
        return new ShadowTraffic(scores, metrics, settings.serving().shadowQueue());
    }

    @Bean
    Inference inference(ServingRegistry registry, ScoreLog scores, ShadowTraffic shadows, ServingMetrics metrics,
                        WorkerSettings settings) {
        return new Inference(registry, scores, shadows, metrics, settings.serving().featureSampleRate());
    }

    /** The prediction routes of both APIs, in a servlet of their own beside Spring MVC's (see the class). */
    @Bean
    ServletRegistrationBean<ServingServlet> servingServlet(Inference inference, WorkerSettings settings) {
        int maxBodyBytes = settings.serving().maxBodyBytes();
        ServletRegistrationBean<ServingServlet> registration = new ServletRegistrationBean<>(new ServingServlet(
                new PredictRoute(inference, maxBodyBytes), new OpenInferenceRoutes(inference, maxBodyBytes)),
                ServingServlet.MAPPINGS.toArray(String[]::new));
        registration.setName("annals-serving");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
