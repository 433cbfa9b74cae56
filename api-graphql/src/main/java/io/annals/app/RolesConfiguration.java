package io.annals.app;

import io.annals.app.cluster.RemoteCommandConfiguration;
import io.annals.app.records.LocalRecordsConfiguration;
import io.annals.command.domain.config.CommandSideConfiguration;
import io.annals.command.domain.publication.PublicationConfiguration;
import io.annals.query.QuerySideConfiguration;
import io.annals.infra.clients.ClientsConfiguration;
import io.annals.workers.config.DriftMonitorConfiguration;
import io.annals.workers.config.IngestConfiguration;
import io.annals.workers.config.ServingConfiguration;
import io.annals.workers.config.StorageConfiguration;
import io.annals.workers.config.TrainingWorkerConfiguration;
import io.annals.workers.events.WorkerLoop;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Which roles this process runs ({@code annals.roles}, comma separated; "all" by default). A process with the
 * {@code command} role handles commands (its own and, through {@code /internal/commands}, other processes'); one
 * without sends every command to one with it ({@code annals.command.url}) and reads the record through it. The API,
 * the query side and each worker can be switched off, so that a process can run, say, only the training worker.
 */
@Configuration(proxyBeanMethods = false)
@Import({ClientsConfiguration.class, StorageConfiguration.class, IngestConfiguration.class,
        CommandSideConfiguration.class, PublicationConfiguration.class})
public class RolesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RolesConfiguration.class);

    /** The classes of the API role: GraphQL, the console, the data and model routes, the request limits. */
    static final String API_CLASSES = "io\\.annals\\.app\\.(GraphiQlPage|(graphql|console|rest|limits)\\..*)";

    /**
     * The API (GraphQL at /graphql with its subscriptions, GraphiQL, the console, and the dataset and model routes of
     * /v1) runs in a process with the {@code api} role. Without it, Spring for GraphQL is not configured at all (see
     * the application's environment listener); the serving role's prediction routes, the internal endpoints of the
     * command role and the Actuator are there whatever the roles.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.Api.class)
    @ComponentScan(basePackages = {"io.annals.app.graphql", "io.annals.app.console", "io.annals.app.rest",
            "io.annals.app.limits"})
    @Import(GraphiQlPage.class)
    static class ApiRole {
    }

    /**
     * The aggregates, their catalogs and the policies exist only where commands are handled; elsewhere the command
     * bus is the command port's. (The event store's and the log's configuration is imported above, for every process;
     * each decides by role what it declares.)
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.Command.class)
    @ComponentScan(basePackages = "io.annals.command.domain", excludeFilters = @ComponentScan.Filter(
            type = FilterType.REGEX, pattern = "io\\.annals\\.command\\.domain\\.(config\\.CommandSideConfiguration"
                    + "|publication\\.PublicationConfiguration)(\\$.*)?"))
    @Import(LocalRecordsConfiguration.class)
    static class CommandRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.NotCommand.class)
    @Import(RemoteCommandConfiguration.class)
    static class RemoteCommandRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.Query.class)
    @Import(QuerySideConfiguration.class)
    static class QueryRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.TrainingWorker.class)
    @Import(TrainingWorkerConfiguration.class)
    static class TrainingWorkerRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.ServingWorker.class)
    @Import(ServingConfiguration.class)
    static class ServingWorkerRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.DriftMonitor.class)
    @Import(DriftMonitorConfiguration.class)
    static class DriftMonitorRole {
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RoleCondition.WebhookDispatcher.class)
    @Import(io.annals.workers.config.WebhookConfiguration.class)
    static class WebhookDispatcherRole {
    }

    /** Workers start once the whole platform is up, so their first command finds the command side ready. */
    @EventListener(ApplicationReadyEvent.class)
    void startWorkers(ApplicationReadyEvent ready) {
        List<WorkerLoop> loops = ready.getApplicationContext().getBeanProvider(WorkerLoop.class).stream().toList();
        loops.forEach(WorkerLoop::start);
        log.info("Started {} worker(s)", loops.size());
    }
}
