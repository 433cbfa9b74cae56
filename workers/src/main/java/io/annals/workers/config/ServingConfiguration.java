package io.annals.workers.config;

import io.annals.infra.clients.KafkaClients;
import io.annals.workers.config.WorkerEventsConfiguration.WorkerEvents;
import io.annals.workers.events.WorkerLoop;
import io.annals.workers.serving.DataPlaneServer;
import io.annals.workers.serving.Inference;
import io.annals.workers.serving.Predictors;
import io.annals.workers.serving.ScoreLog;
import io.annals.workers.serving.ServingMetrics;
import io.annals.workers.serving.ServingRegistry;
import io.annals.workers.serving.ServingRoutes;
import io.annals.workers.serving.ServingServlet;
import io.annals.workers.serving.ShadowTraffic;
import io.annals.workers.storage.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

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

    /** The prediction routes of both APIs, on the main port and on the data plane's. */
    @Bean
    ServingRoutes servingRoutes(Inference inference, WorkerSettings settings) {
        return new ServingRoutes(inference, settings.serving().maxBodyBytes());
    }

    /** The routes on the main port, in a servlet of their own beside Spring MVC's (see the class). */
    @Bean
    ServletRegistrationBean<ServingServlet> servingServlet(ServingRoutes routes) {
        ServletRegistrationBean<ServingServlet> registration = new ServletRegistrationBean<>(
                new ServingServlet(routes), ServingServlet.MAPPINGS.toArray(String[]::new));
        registration.setName("annals-serving");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * The routes on the data plane's own port ({@code annals.workers.serving.data-plane.*}; none with port -1), on
     * the main port's address unless given one. The admission (the token check and access rules) comes from the
     * process's security configuration: without one the context does not start, rather than serve unchecked.
     */
    @Bean
    @ConditionalOnExpression("${annals.workers.serving.data-plane.port:8081} >= 0")
    DataPlaneServer dataPlaneServer(ServingRoutes routes, DataPlaneServer.Admission admission, MeterRegistry meters,
                                    WorkerSettings settings, Environment environment) throws UnknownHostException {
        WorkerSettings.DataPlane plane = settings.serving().dataPlane();
        String address = plane.address().isBlank() ? environment.getProperty("server.address", "127.0.0.1")
                : plane.address();
        return new DataPlaneServer(routes, admission, meters, InetAddress.getByName(address), plane.port(),
                new DataPlaneServer.Limits(plane.maxConnections(), plane.idleTimeout(), plane.readTimeout()));
    }
}
