package io.annals.command.domain.config;

import io.annals.infra.clients.SchemaLock;
import io.annals.infra.clients.WireJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.command.api.common.MetadataKeys;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.PlatformTransactionManager;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The event store on PostgreSQL (Axon's JDBC engine, configured by Axon's auto-configuration), its tables, and the
 * metadata every event carries: the authenticated actor and the correlation and causation ids.
 */
@Configuration(proxyBeanMethods = false)
public class CommandSideConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CommandSideConfiguration.class);

    /** Axon's serializer uses this mapper (Axon looks it up by this name). */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return WireJson.newMapper();
    }

    /**
     * The event store on PostgreSQL and the token store beside it, in a process that opens them (command or query
     * role, {@link EventStoreRole}). Anywhere else Axon's auto-configuration gives a plain event bus, and no
     * DataSource exists (see the application's environment listener).
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(EventStoreRole.class)
    @EnableConfigurationProperties(EventSettings.class)
    static class EventStoreBeans {

        // Axon's JDBC auto-configuration orders itself after Boot 3's DataSourceAutoConfiguration, a class Boot 4
        // moved, so it never sees the DataSource; the event store is declared here instead.

        @Bean
        ConnectionProvider axonConnectionProvider(DataSource dataSource) {
            return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
        }

        @Bean
        TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
            return new SpringTransactionManager(transactions);
        }

        @Bean
        EventStorageEngine eventStorageEngine(Serializer serializer, @Qualifier("eventSerializer") Serializer events,
                                              ConnectionProvider connections, TransactionManager transactions,
                                              EventSettings settings) {
            return new EventLogStorageEngine(EventLogStorageEngine.configured()
                    .snapshotSerializer(serializer)
                    .eventSerializer(events)
                    .connectionProvider(connections)
                    .transactionManager(transactions)
                    .persistenceExceptionResolver(CommandSideConfiguration::isDuplicateKey)
                    // events read per query by a processor that replays the log (Axon's default is 100): as many as a
                    // projection handles in one batch, so a batch costs one query
                    .batchSize(500), settings.readInterval());
        }

        @Bean
        EmbeddedEventStore eventStore(EventStorageEngine engine) {
            return EmbeddedEventStore.builder().storageEngine(engine).build();
        }

        /**
         * The log as the processors that write in batches follow it (projections, the Kafka publisher: their
         * {@code source} in application.yml): see {@link LingeringEventSource}.
         */
        @Bean
        LingeringEventSource lingeringEventStore(EmbeddedEventStore eventStore, EventSettings settings) {
            return new LingeringEventSource(eventStore, settings.linger());
        }

        @Bean
        TokenStore tokenStore(ConnectionProvider connections, Serializer serializer) {
            return JdbcTokenStore.builder().connectionProvider(connections).serializer(serializer).build();
        }

        /**
         * Tables are created before any processor starts, so a fresh database and a restarted one both work, and once
         * when several processes start on a fresh database at the same moment (see {@link SchemaLock}).
         */
        @Bean
        InitializingBean eventStoreSchema(EventStorageEngine engine, TokenStore tokenStore,
                                          ConnectionProvider connections, TransactionManager transactions) {
            return () -> transactions.executeInTransaction(() -> {
                try (var connection = connections.getConnection()) {
                    SchemaLock.hold(connection);
                    boolean exists = connection.getMetaData().getTables(null, null, "domainevententry", null).next();
                    if (!exists) {
                        ((JdbcEventStorageEngine) engine).createSchema(PostgresEventTableFactory.INSTANCE);
                        ((JdbcTokenStore) tokenStore).createSchema(PostgresTokenTableFactory.INSTANCE);
                        log.info("Created the event store and token tables");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("could not prepare the event store tables", e);
                }
            });
        }
    }

    /** PostgreSQL's unique_violation: an event with this aggregate id and sequence number exists already. */
    static boolean isDuplicateKey(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider(MetadataKeys.CORRELATION_ID, MetadataKeys.CAUSATION_ID);
    }

    @Bean
    CorrelationDataProvider actorProvider() {
        return new SimpleCorrelationDataProvider(MetadataKeys.ACTOR);
    }

    /**
     * Every event handler of every processor propagates its failure instead of Axon's default of logging it and
     * moving on: the processor then stops at the event, shows the error in its status, and retries it with a
     * growing pause (1 s doubling to 60 s) until it succeeds. See this package's notes for each processor.
     */
    @Bean
    ConfigurerModule stopAtFailingEvent() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    @Bean
    InitializingBean requireActorOnEveryCommand(CommandBus commandBus) {
        return () -> {
            commandBus.registerHandlerInterceptor(new ActorRequiredInterceptor());
            commandBus.registerHandlerInterceptor(new ServicePrincipalInterceptor());
        };
    }
}
