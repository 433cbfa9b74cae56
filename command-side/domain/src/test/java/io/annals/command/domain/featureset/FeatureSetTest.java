package io.annals.command.domain.featureset;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSetVersionRegistered;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.featureset.RegisterFeatureSet;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeatureSetTest {

    static final DatasetName EVENTS = DatasetName.of("events");
    static final FeatureSetName SPEND = FeatureSetName.of("spend");
    static final DatasetSchema EVENTS_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("user", ColumnType.STRING, false), new ColumnSpec("at", ColumnType.TIMESTAMP, false),
            new ColumnSpec("amount", ColumnType.DOUBLE, true), new ColumnSpec("city", ColumnType.STRING, true),
            new ColumnSpec("score", ColumnType.DOUBLE, false), new ColumnSpec("seen", ColumnType.TIMESTAMP, true)));

    private AggregateTestFixture<FeatureSet> fixture;

    /** Knows the events dataset only. */
    static final class EventsCatalog implements DatasetCatalog {
        @Override
        public Optional<DatasetSchema> schema(DatasetName dataset) {
            return dataset.equals(EVENTS) ? Optional.of(EVENTS_SCHEMA) : Optional.empty();
        }

        @Override
        public Optional<BatchInput> batch(BatchRef batch) {
            return Optional.empty();
        }

        @Override
        public java.util.Map<String, BatchInput> pointedAt(DatasetName dataset, java.util.Collection<String> partitions) {
            return java.util.Map.of();
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(FeatureSet.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
        fixture.registerInjectableResource(new EventsCatalog());
    }

    static FeatureSetDefinition definition(FeatureSpec... features) {
        return new FeatureSetDefinition("spend per user", "team-risk", EVENTS, List.of("user"), "at",
                List.of(features));
    }

    static final FeatureSpec SUM_7D = new FeatureSpec("spend_7d", "amount", Aggregation.SUM, "P7D");
    static final FeatureSpec LAST_CITY = new FeatureSpec("city", "city", Aggregation.LAST, null);

    @Test
    void givenNothing_whenRegistered_thenVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, definition(SUM_7D, LAST_CITY)))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(1)
                .expectEvents(new FeatureSetVersionRegistered(SPEND, 1, definition(SUM_7D, LAST_CITY)));
    }

    @Test
    void givenVersionOne_whenTheSameDefinitionAgain_thenNothingNewAndVersionOne() {
        fixture.given(new FeatureSetVersionRegistered(SPEND, 1, definition(SUM_7D)))
                .when(new RegisterFeatureSet(SPEND, definition(new FeatureSpec("spend_7d", "amount",
                        Aggregation.SUM, "PT168H"))))
                .expectResultMessagePayload(1)
                .expectNoEvents();
    }

    @Test
    void givenVersionOne_whenChanged_thenVersionTwo() {
        fixture.given(new FeatureSetVersionRegistered(SPEND, 1, definition(SUM_7D)))
                .when(new RegisterFeatureSet(SPEND, definition(SUM_7D, LAST_CITY)))
                .expectResultMessagePayload(2)
                .expectEvents(new FeatureSetVersionRegistered(SPEND, 2, definition(SUM_7D, LAST_CITY)));
    }

    @Test
    void givenUnknownSource_whenRegistered_thenNotFoundAndNoEvent() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, new FeatureSetDefinition("", "team", DatasetName.of("nope"),
                        List.of("user"), "at", List.of(SUM_7D))))
                .expectException(DomainException.class)
                .expectExceptionMessage("source dataset 'nope' does not exist")
                .expectNoEvents();
    }

    @Test
    void givenSumOfAString_whenRegistered_thenRefusedNamingTheFeatureAndType() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, definition(new FeatureSpec("total_city", "city",
                        Aggregation.SUM, null))))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("feature 'total_city' takes the SUM of column 'city', which is STRING; SUM "
                        + "needs a numeric or boolean column")
                .expectNoEvents();
    }

    @Test
    void givenUnknownColumn_whenRegistered_thenRefusedListingTheColumns() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, definition(new FeatureSpec("x", "amount_eur", Aggregation.MEAN,
                        null))))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("column 'amount_eur' of feature 'x' is not in dataset 'events' (its columns: "
                        + "[user, at, amount, city, score, seen])")
                .expectNoEvents();
    }

    @Test
    void givenATimeColumnThatIsNotATimestamp_whenRegistered_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, new FeatureSetDefinition("", "team", EVENTS, List.of("user"),
                        "score", List.of(SUM_7D))))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("timestamp column 'score' of dataset 'events' is DOUBLE, not TIMESTAMP")
                .expectNoEvents();
    }

    @Test
    void givenADoubleOrNullableKey_whenRegistered_thenRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, new FeatureSetDefinition("", "team", EVENTS, List.of("score"),
                        "at", List.of(SUM_7D))))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("entity key column 'score' of dataset 'events' is DOUBLE; a key must be "
                        + "STRING, LONG, BOOLEAN or TIMESTAMP");
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, new FeatureSetDefinition("", "team", EVENTS, List.of("city"),
                        "at", List.of(SUM_7D))))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("entity key column 'city' of dataset 'events' is nullable; a row without a "
                        + "key belongs to no entity");
    }

    @Test
    void givenBadWindows_whenDefined_thenTypedErrorsNameTheWindow() {
        Assertions.assertThatThrownBy(() -> new FeatureSpec("f", "amount", Aggregation.SUM, "P1M"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the window 'P1M' of feature 'f' is not an ISO-8601 duration in days, hours, "
                        + "minutes or seconds");
        Assertions.assertThatThrownBy(() -> new FeatureSpec("f", "amount", Aggregation.SUM, "-PT1H"))
                .hasMessage("the window '-PT1H' of feature 'f' must be longer than zero");
        Assertions.assertThat(new FeatureSpec("f", "amount", Aggregation.SUM, "PT48H").window()).isEqualTo("P2D");
        Assertions.assertThat(new FeatureSpec("f", "amount", Aggregation.SUM, "PT90M").window()).isEqualTo("PT1H30M");
    }

    @Test
    void givenMinOfATimestamp_whenRegistered_thenAccepted() {
        FeatureSpec firstSeen = new FeatureSpec("first_seen", "seen", Aggregation.MIN, null);
        fixture.givenNoPriorActivity()
                .when(new RegisterFeatureSet(SPEND, definition(firstSeen)))
                .expectEvents(new FeatureSetVersionRegistered(SPEND, 1, definition(firstSeen)));
    }

}
