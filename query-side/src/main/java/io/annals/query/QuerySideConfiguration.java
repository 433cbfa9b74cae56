package io.annals.query;

import io.annals.query.audit.AuditProjection;
import io.annals.query.audit.AuditQueries;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.dataset.DatasetQueries;
import io.annals.query.drift.DriftAlertProjection;
import io.annals.query.drift.DriftAlertQueries;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.ElasticsearchConfiguration;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.endpoint.EndpointQueries;
import io.annals.query.featureset.FeatureSetProjection;
import io.annals.query.featureset.FeatureSetQueries;
import io.annals.query.lineage.BatchImpactQueries;
import io.annals.query.lineage.LineageQueries;
import io.annals.query.model.ModelProjection;
import io.annals.query.model.ModelQueries;
import io.annals.query.rebuild.ProjectionRebuilds;
import io.annals.query.rebuild.RebuildRequests;
import io.annals.query.rebuild.RebuildSettings;
import io.annals.query.trainingrun.TrainingRunProjection;
import io.annals.query.trainingrun.TrainingRunQueries;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;

/** The query role: the projections into Elasticsearch and the query handlers that read them. */
@Configuration(proxyBeanMethods = false)
@Import(ElasticsearchConfiguration.class)
@EnableConfigurationProperties(RebuildSettings.class)
public class QuerySideConfiguration {

    /**
     * Axon's query bus, as Axon's auto-configuration builds it but without its transaction manager: every query
     * handler here reads Elasticsearch, and a PostgreSQL transaction opened and committed around each query cost two
     * database round trips per GraphQL field for nothing.
     */
    @Bean
    @Qualifier("localSegment")
    SimpleQueryBus queryBus(org.axonframework.config.Configuration axon) {
        return SimpleQueryBus.builder()
                .messageMonitor(axon.messageMonitor(QueryBus.class, "queryBus"))
                .errorHandler(axon.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(axon.getComponent(QueryUpdateEmitter.class))
                .spanFactory(axon.getComponent(QueryBusSpanFactory.class))
                .build();
    }

    /** The training-run projection's segments, by run (application.yml names this bean). */
    @Bean
    SequencingPolicy<EventMessage<?>> trainingRunSequencing() {
        return TrainingRunProjection.BY_RUN;
    }

    @Bean
    AuditProjection auditProjection(Documents documents, @Qualifier("eventSerializer") Serializer events) {
        return new AuditProjection(documents, events);
    }

    @Bean
    AuditQueries auditQueries(Documents documents) {
        return new AuditQueries(documents);
    }

    @Bean
    DatasetProjection datasetProjection(Documents documents) {
        return new DatasetProjection(documents);
    }

    @Bean
    DatasetQueries datasetQueries(Documents documents) {
        return new DatasetQueries(documents);
    }

    @Bean
    TrainingRunProjection trainingRunProjection(Documents documents, QueryUpdateEmitter updates) {
        return new TrainingRunProjection(documents, updates);
    }

    @Bean
    TrainingRunQueries trainingRunQueries(Documents documents) {
        return new TrainingRunQueries(documents);
    }

    @Bean
    ModelProjection modelProjection(Documents documents) {
        return new ModelProjection(documents);
    }

    @Bean
    ModelQueries modelQueries(Documents documents) {
        return new ModelQueries(documents);
    }

    @Bean
    EndpointProjection endpointProjection(Documents documents) {
        return new EndpointProjection(documents);
    }

    @Bean
    EndpointQueries endpointQueries(Documents documents) {
        return new EndpointQueries(documents);
    }

    @Bean
    DriftAlertProjection driftAlertProjection(Documents documents, QueryUpdateEmitter updates) {
        return new DriftAlertProjection(documents, updates);
    }

    @Bean
    DriftAlertQueries driftAlertQueries(Documents documents) {
        return new DriftAlertQueries(documents);
    }

    @Bean
    io.annals.query.webhook.WebhookProjection webhookProjection(Documents documents) {
        return new io.annals.query.webhook.WebhookProjection(documents);
    }

    @Bean
    io.annals.query.webhook.WebhookQueries webhookQueries(Documents documents) {
        return new io.annals.query.webhook.WebhookQueries(documents);
    }

    /** After the command side has created the token table, which it reads to find read models to rebuild. */
    @Bean(destroyMethod = "close")
    @DependsOn("eventStoreSchema")
    ProjectionRebuilds projectionRebuilds(EventProcessingConfiguration processing, Documents documents,
                                          @Qualifier("eventStore") StreamableMessageSource<?> eventLog,
                                          TokenStore tokens, TransactionManager transactions,
                                          DataSource dataSource, RebuildSettings settings) {
        return new ProjectionRebuilds(processing, documents, eventLog, tokens, transactions,
                new RebuildRequests(dataSource, settings.staleAfter()), settings, ProjectionRebuilds.processNode());
    }

    @Bean
    io.annals.query.pipeline.PipelineRunProjection pipelineRunProjection(Documents documents,
                                                                         QueryUpdateEmitter updates) {
        return new io.annals.query.pipeline.PipelineRunProjection(documents, updates);
    }

    @Bean
    io.annals.query.pipeline.PipelineRunQueries pipelineRunQueries(Documents documents) {
        return new io.annals.query.pipeline.PipelineRunQueries(documents);
    }

    @Bean
    FeatureSetProjection featureSetProjection(Documents documents) {
        return new FeatureSetProjection(documents);
    }

    @Bean
    FeatureSetQueries featureSetQueries(Documents documents) {
        return new FeatureSetQueries(documents);
    }

    @Bean
    BatchImpactQueries batchImpactQueries(Documents documents) {
        return new BatchImpactQueries(documents);
    }

    @Bean
    LineageQueries lineageQueries(Documents documents) {
        return new LineageQueries(documents);
    }
}
