package io.annals.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The Annals server. One jar runs any set of roles ({@code annals.roles}: command, query, api, training-worker,
 * serving-worker, drift-monitor; default all of them). With {@code annals.stack.mode=embedded} (the default) it
 * first starts the real components it needs on loopback; see {@link EmbeddedStackEnvironment}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        // the API's controllers, scanned by RolesConfiguration only in a process with the api role
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = RolesConfiguration.API_CLASSES)})
public class AnnalsApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("ai.djl.offline", "true");
        System.getProperties().putIfAbsent("ai.djl.pytorch.num_threads", "1");
        System.getProperties().putIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        try {
            SpringApplication.run(AnnalsApplication.class, args);
        } catch (Throwable startupFailure) {
            // some server threads are not daemons; exit so the shutdown hook stops the embedded stack
            System.exit(1);
        }
    }
}
