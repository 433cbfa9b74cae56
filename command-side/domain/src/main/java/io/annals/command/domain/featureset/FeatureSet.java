package io.annals.command.domain.featureset;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSetVersionRegistered;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.featureset.RegisterFeatureSet;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import java.util.Optional;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A feature set: numbered, immutable versions of a definition. Registering a definition equal to the latest version
 * changes nothing and answers that version; any change makes the next version. A definition is checked against its
 * source dataset's schema before it is recorded.
 */
@Aggregate(commandTargetResolver = StreamTargetResolver.BEAN)
public class FeatureSet {

    /** {@code <kind>:<name>}: each kind of entity has its own identifier space in the event store. */
    @AggregateIdentifier
    private String streamId;
    private final TreeMap<Integer, FeatureSetDefinition> versions = new TreeMap<>();

    protected FeatureSet() {
    }

    /** Returns the version the definition is. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(RegisterFeatureSet command, DatasetCatalog datasets) {
        if (!versions.isEmpty() && versions.lastEntry().getValue().equals(command.definition())) {
            return versions.lastKey();
        }
        FeatureSetDefinition definition = command.definition();
        DatasetSchema schema = datasets.schema(definition.source()).orElseThrow(() -> DomainException.notFound(
                "source dataset '" + definition.source() + "' does not exist"));
        check(definition, schema);
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        apply(new FeatureSetVersionRegistered(command.name(), version, definition));
        return version;
    }

    /** Whether the definition reads columns that exist, with types its aggregations can fold. */
    static void check(FeatureSetDefinition definition, DatasetSchema schema) {
        String source = "dataset '" + definition.source() + "'";
        for (String key : definition.entityKeys()) {
            ColumnSpec column = column(schema, key, "entity key column '" + key + "'", source);
            if (column.type() == ColumnType.DOUBLE) {
                throw new IllegalArgumentException("entity key column '" + key + "' of " + source
                        + " is DOUBLE; a key must be STRING, LONG, BOOLEAN or TIMESTAMP");
            }
            if (column.nullable()) {
                throw new IllegalArgumentException("entity key column '" + key + "' of " + source
                        + " is nullable; a row without a key belongs to no entity");
            }
        }
        ColumnSpec time = column(schema, definition.timestampColumn(), "timestamp column '"
                + definition.timestampColumn() + "'", source);
        if (time.type() != ColumnType.TIMESTAMP) {
            throw new IllegalArgumentException("timestamp column '" + time.name() + "' of " + source + " is "
                    + time.type() + ", not TIMESTAMP");
        }
        if (time.nullable()) {
            throw new IllegalArgumentException("timestamp column '" + time.name() + "' of " + source
                    + " is nullable; every source row needs an event time");
        }
        for (FeatureSpec feature : definition.features()) {
            ColumnSpec column = column(schema, feature.column(), "column '" + feature.column() + "' of feature '"
                    + feature.name() + "'", source);
            if (!feature.aggregation().accepts(column.type())) {
                throw new IllegalArgumentException("feature '" + feature.name() + "' takes the "
                        + feature.aggregation() + " of column '" + column.name() + "', which is " + column.type()
                        + "; " + feature.aggregation() + " needs a numeric or boolean column"
                        + (feature.aggregation() == Aggregation.MIN
                        || feature.aggregation() == Aggregation.MAX
                        ? " (or a TIMESTAMP)" : ""));
            }
        }
    }

    static ColumnSpec column(DatasetSchema schema, String name, String what, String source) {
        return schema.column(name).orElseThrow(() -> new IllegalArgumentException(what + " is not in " + source
                + " (its columns: " + schema.columns().stream().map(ColumnSpec::name).toList() + ")"));
    }

    Optional<Integer> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastKey());
    }

    Optional<FeatureSetDefinition> version(int version) {
        return Optional.ofNullable(versions.get(version));
    }

    @EventSourcingHandler
    void on(FeatureSetVersionRegistered event) {
        streamId = StreamId.of(event.name()).toString();
        versions.put(event.version(), event.definition());
    }
}
