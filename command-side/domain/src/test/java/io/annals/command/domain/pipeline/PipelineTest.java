package io.annals.command.domain.pipeline;

import static io.annals.command.domain.Fixtures.LOANS;
import static io.annals.command.domain.Fixtures.RANKER;
import static io.annals.command.domain.Fixtures.SHA;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.pipeline.PipelineRunState.Purpose;
import io.annals.command.api.pipeline.PipelineTrainingSetReady;
import io.annals.command.api.pipeline.RecordPipelineTrainingSet;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.domain.featureset.FeatureSetCatalog;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.pipeline.FailPipelineRun;
import io.annals.command.api.pipeline.GateRule;
import io.annals.command.api.pipeline.PausePipeline;
import io.annals.command.api.pipeline.PipelineCandidateTrained;
import io.annals.command.api.pipeline.PipelineCause;
import io.annals.command.api.pipeline.PipelineDefinition;
import io.annals.command.api.pipeline.PipelineGateDecided;
import io.annals.command.api.pipeline.PipelineName;
import io.annals.command.api.pipeline.PipelinePaused;
import io.annals.command.api.pipeline.PipelineResumed;
import io.annals.command.api.pipeline.PipelineRunFinished;
import io.annals.command.api.pipeline.PipelineRunId;
import io.annals.command.api.pipeline.PipelineRunQueued;
import io.annals.command.api.pipeline.PipelineRunStarted;
import io.annals.command.api.pipeline.PipelineRunState.Outcome;
import io.annals.command.api.pipeline.PipelineRunState.Role;
import io.annals.command.api.pipeline.PipelineRunState.Step;
import io.annals.command.api.pipeline.PipelineVersionEvaluated;
import io.annals.command.api.pipeline.PipelineVersionRegistered;
import io.annals.command.api.pipeline.RecordPipelineCandidate;
import io.annals.command.api.pipeline.RecordPipelineEvaluation;
import io.annals.command.api.pipeline.RecordPipelinePromotion;
import io.annals.command.api.pipeline.RegisterPipeline;
import io.annals.command.api.pipeline.ResumePipeline;
import io.annals.command.api.pipeline.TriggerPipeline;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.domain.Fixtures;
import io.annals.command.domain.config.StreamTargetResolver;
import io.annals.command.domain.dataset.DatasetCatalog;
import io.annals.command.domain.model.ModelCatalog;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final PipelineName NIGHTLY = PipelineName.of("nightly");
    private static final BatchInput TRAIN = input("b-train");
    private static final BatchInput HOLDOUT = input("b-holdout");
    private static final PipelineDefinition DEFINITION = definition(List.of(new GateRule("auc", null, 0.005),
            new GateRule("logLoss", null, 0)));

    private static BatchInput input(String batch) {
        return new BatchInput(new BatchRef(LOANS, BatchId.of(batch)), "s3://annals/" + batch + ".csv", SHA, 100);
    }

    static PipelineDefinition definition(List<GateRule> gate) {
        return new PipelineDefinition(RANKER, new PipelineDefinition.Training(Task.BINARY_CLASSIFICATION,
                List.of("x1", "x2"), "label", Hyperparameters.DEFAULTS, null),
                List.of(new PipelineDefinition.Input(LOANS, List.of("train"))),
                new PipelineDefinition.HeldOut(LOANS, "holdout"), gate,
                new PipelineDefinition.Deployment(null, EndpointName.of("scoring")), true);
    }

    /**
     * loans: partition train points at b-train, holdout at b-holdout (unless emptied); outcomes (labels of users):
     * train at l-train, holdout at l-holdout; events: the source of feature set spend.
     */
    private static final class Datasets implements DatasetCatalog {
        final Map<String, BatchInput> partitions = new LinkedHashMap<>(Map.of("train", TRAIN, "holdout", HOLDOUT));
        final Map<String, BatchInput> labelPartitions = new LinkedHashMap<>(Map.of("train", LABELS_TRAIN, "holdout",
                LABELS_HOLDOUT));
        final Map<DatasetName, DatasetSchema> schemas = new LinkedHashMap<>(Map.of(LOANS, Fixtures.schema(),
                OUTCOMES, OUTCOMES_SCHEMA, EVENTS, EVENTS_SCHEMA));

        @Override
        public Optional<DatasetSchema> schema(DatasetName dataset) {
            return Optional.ofNullable(schemas.get(dataset));
        }

        @Override
        public Optional<BatchInput> batch(BatchRef batch) {
            return Optional.empty();
        }

        @Override
        public Map<String, BatchInput> pointedAt(DatasetName dataset, Collection<String> names) {
            Map<String, BatchInput> pointed = new LinkedHashMap<>();
            Map<String, BatchInput> of = dataset.equals(LOANS) ? partitions : dataset.equals(OUTCOMES)
                    ? labelPartitions : Map.of();
            of.forEach((p, b) -> {
                if (names.isEmpty() || names.contains(p)) {
                    pointed.put(p, b);
                }
            });
            return pointed;
        }
    }

    /** Feature set spend: version 1 (and 2, once registered here) over events, keyed by user. */
    private static final class FeatureSets implements FeatureSetCatalog {
        final Map<Integer, FeatureSetDefinition> versions = new LinkedHashMap<>(Map.of(1, SPEND_V1));

        @Override
        public Optional<FeatureSetDefinition> version(FeatureSetName name, int version) {
            return name.equals(SPEND) ? Optional.ofNullable(versions.get(version)) : Optional.empty();
        }

        @Override
        public Optional<Integer> latest(FeatureSetName name) {
            return name.equals(SPEND) && !versions.isEmpty() ? versions.keySet().stream().max(Integer::compare)
                    : Optional.empty();
        }
    }

    private static final DatasetName OUTCOMES = DatasetName.of("outcomes");
    private static final DatasetName EVENTS = DatasetName.of("events");
    private static final FeatureSetName SPEND = FeatureSetName.of("spend");
    private static final DatasetSchema OUTCOMES_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, false), new ColumnSpec("when", ColumnType.TIMESTAMP, false),
            new ColumnSpec("label", ColumnType.LONG, false)));
    private static final DatasetSchema EVENTS_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("user", ColumnType.STRING, false), new ColumnSpec("at", ColumnType.TIMESTAMP, false),
            new ColumnSpec("amount", ColumnType.DOUBLE, true)));
    private static final FeatureSetDefinition SPEND_V1 = new FeatureSetDefinition("", "team", EVENTS,
            List.of("user"), "at", List.of(new FeatureSpec("spend_7d", "amount", Aggregation.SUM, "P7D"),
            new FeatureSpec("avg_spend", "amount", Aggregation.MEAN, null)));
    private static final BatchInput LABELS_TRAIN = new BatchInput(new BatchRef(OUTCOMES, BatchId.of("l-train")),
            "s3://annals/l-train.csv", SHA, 100);
    private static final BatchInput LABELS_HOLDOUT = new BatchInput(new BatchRef(OUTCOMES, BatchId.of("l-holdout")),
            "s3://annals/l-holdout.csv", SHA, 50);

    /** The ranker's alias champion points at version 1. */
    private static final class Models implements ModelCatalog {
        @Override
        public Optional<ModelVersionRegistered> version(ModelName model, int version) {
            return Optional.of(Fixtures.version(version));
        }

        @Override
        public Optional<ModelVersionRegistered> aliased(ModelName model, String alias) {
            return model.equals(RANKER) && alias.equals("champion") ? Optional.of(Fixtures.version(1))
                    : Optional.empty();
        }

        @Override
        public Optional<ModelVersionRegistered> latest(ModelName model) {
            return Optional.of(Fixtures.version(1));
        }
    }

    private final Datasets datasets = new Datasets();
    private final FeatureSets featureSets = new FeatureSets();
    private AggregateTestFixture<Pipeline> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Pipeline.class);
        fixture.registerCommandTargetResolver(new StreamTargetResolver());
        fixture.registerInjectableResource(new PipelineSources(datasets, featureSets));
        fixture.registerInjectableResource(new Models());
    }

    private static final PipelineCause MANUAL = PipelineCause.manual("first");
    private static final PipelineCause BATCH = new PipelineCause(PipelineCause.Kind.NEW_BATCH,
            new BatchRef(LOANS, BatchId.of("b-new")), "train", null, "event-1");

    private static PipelineRunStarted started(int run, List<PipelineCause> causes) {
        PipelineRunId id = new PipelineRunId(NIGHTLY, run);
        return new PipelineRunStarted(NIGHTLY, run, 1, RANKER, causes, List.of(TRAIN), HOLDOUT, Pipeline.derivedSeed(id),
                id.trainingRun());
    }

    private static final PipelineVersionRegistered V1 = new PipelineVersionRegistered(NIGHTLY, 1, DEFINITION);
    private static final PipelineCandidateTrained TRAINED = new PipelineCandidateTrained(NIGHTLY, 1, RANKER, 2, 1);
    private static final Map<String, Double> CHAMPION = Map.of("auc", 0.80, "logLoss", 0.50);

    @Nested
    class Definitions {

        @Test
        void givenNothing_whenRegistered_thenVersionOne() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, DEFINITION))
                    .expectResultMessagePayload(1)
                    .expectEvents(V1);
        }

        @Test
        void givenVersionOne_whenTheSameAgain_thenNothingAndWhenChanged_thenVersionTwo() {
            fixture.given(V1).when(new RegisterPipeline(NIGHTLY, DEFINITION))
                    .expectResultMessagePayload(1).expectNoEvents();
            PipelineDefinition changed = definition(List.of(new GateRule("auc", null, 0.01)));
            fixture.given(V1).when(new RegisterPipeline(NIGHTLY, changed))
                    .expectResultMessagePayload(2)
                    .expectEvents(new PipelineVersionRegistered(NIGHTLY, 2, changed));
        }

        @Test
        void givenAFeatureTheDatasetLacks_whenRegistered_thenRejected() {
            PipelineDefinition wrong = new PipelineDefinition(RANKER, new PipelineDefinition.Training(
                    Task.BINARY_CLASSIFICATION, List.of("x1", "income"), "label", null, null),
                    List.of(new PipelineDefinition.Input(LOANS, List.of())), null, List.of(), null, false);
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, wrong))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("dataset 'loans' has no column income (its columns: x1, x2, note, label)")
                    .expectNoEvents();
        }
    }

    @Nested
    class Triggers {

        @Test
        void givenAPipeline_whenTriggered_thenARunStartsOnThePartitionsBatchesWithTheHeldOutBatch() {
            fixture.given(V1)
                    .when(new TriggerPipeline(NIGHTLY, MANUAL))
                    .expectResultMessagePayload(1)
                    .expectEvents(started(1, List.of(MANUAL)));
        }

        @Test
        void givenARunUnderWay_whenTriggeredTwice_thenBothCausesWaitForOneNextRun() {
            fixture.given(V1, started(1, List.of(MANUAL)))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectResultMessagePayload(null)
                    .expectEvents(new PipelineRunQueued(NIGHTLY, BATCH));
        }

        @Test
        void givenACauseSeenAlready_whenTriggeredAgain_thenNothing() {
            fixture.given(V1, started(1, List.of(BATCH)),
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.TRAIN, "x", null))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectResultMessagePayload(null)
                    .expectNoEvents();
        }

        @Test
        void givenABatchOfAPartitionItDoesNotTrainOn_whenTriggered_thenNothing() {
            PipelineCause holdout = new PipelineCause(PipelineCause.Kind.NEW_BATCH,
                    new BatchRef(LOANS, BatchId.of("b-h2")), "holdout", null, "event-2");
            fixture.given(V1)
                    .when(new TriggerPipeline(NIGHTLY, holdout))
                    .expectNoEvents();
        }

        @Test
        void givenNoHeldOutBatch_whenTriggered_thenTheRunStartsAndFailsAtOnceWithTheReason() {
            datasets.partitions.remove("holdout");
            PipelineRunId id = new PipelineRunId(NIGHTLY, 1);
            fixture.given(V1)
                    .when(new TriggerPipeline(NIGHTLY, MANUAL))
                    .expectEvents(new PipelineRunStarted(NIGHTLY, 1, 1, RANKER, List.of(MANUAL), List.of(TRAIN), null,
                                    Pipeline.derivedSeed(id), id.trainingRun()),
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.TRAIN, "nothing to read in "
                                    + "held-out partition 'holdout' of dataset 'loans'", null));
        }

        @Test
        void givenPaused_whenTriggeredByHand_thenRefusedAndByABatch_thenKeptUntilResumed() {
            fixture.given(V1, new PipelinePaused(NIGHTLY, "bad data upstream"))
                    .when(new TriggerPipeline(NIGHTLY, MANUAL))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("pipeline 'nightly' is paused (bad data upstream): resume it to run it")
                    .expectNoEvents();
            fixture.given(V1, new PipelinePaused(NIGHTLY, "bad data upstream"))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectEvents(new PipelineRunQueued(NIGHTLY, BATCH));
            fixture.given(V1, new PipelinePaused(NIGHTLY, "bad data upstream"),
                            new PipelineRunQueued(NIGHTLY, BATCH))
                    .when(new ResumePipeline(NIGHTLY))
                    .expectResultMessagePayload(1)
                    .expectEvents(new PipelineResumed(NIGHTLY), started(1, List.of(BATCH)));
        }

        @Test
        void givenPausedAlready_whenPausedAgain_thenNothing() {
            fixture.given(V1, new PipelinePaused(NIGHTLY, "x"))
                    .when(new PausePipeline(NIGHTLY, "y"))
                    .expectNoEvents();
        }
    }

    @Nested
    class Steps {

        @Test
        void givenTraining_whenTheCandidateIsRecorded_thenItIsMeasuredAgainstTheChampion() {
            fixture.given(V1, started(1, List.of(MANUAL)))
                    .when(new RecordPipelineCandidate(NIGHTLY, 1, 2))
                    .expectEvents(TRAINED);
        }

        @Test
        void givenBothEvaluations_whenTheCandidateIsBetter_thenTheGatePasses() {
            Map<String, Double> better = Map.of("auc", 0.81, "logLoss", 0.45);
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED,
                            new PipelineVersionEvaluated(NIGHTLY, 1, Role.CHAMPION, 1, CHAMPION))
                    .when(new RecordPipelineEvaluation(NIGHTLY, 1, Role.CANDIDATE, better))
                    .expectEvents(new PipelineVersionEvaluated(NIGHTLY, 1, Role.CANDIDATE, 2, better),
                            new PipelineGateDecided(NIGHTLY, 1, true, 2, 1, List.of(
                                    new GateRule.Check("auc", GateRule.Better.HIGHER, 0.005, 0.81, 0.80, true),
                                    new GateRule.Check("logLoss", GateRule.Better.LOWER, 0, 0.45, 0.50, true))));
        }

        @Test
        void givenAWorseCandidate_whenEvaluated_thenRefusedWithTheNumbersAndTheQueuedTriggerStartsTheNextRun() {
            Map<String, Double> worse = Map.of("auc", 0.802, "logLoss", 0.45);
            List<GateRule.Check> checks = List.of(
                    new GateRule.Check("auc", GateRule.Better.HIGHER, 0.005, 0.802, 0.80, false),
                    new GateRule.Check("logLoss", GateRule.Better.LOWER, 0, 0.45, 0.50, true));
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED, new PipelineRunQueued(NIGHTLY, BATCH),
                            new PipelineVersionEvaluated(NIGHTLY, 1, Role.CHAMPION, 1, CHAMPION))
                    .when(new RecordPipelineEvaluation(NIGHTLY, 1, Role.CANDIDATE, worse))
                    .expectEvents(new PipelineVersionEvaluated(NIGHTLY, 1, Role.CANDIDATE, 2, worse),
                            new PipelineGateDecided(NIGHTLY, 1, false, 2, 1, checks),
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.REJECTED, Step.GATE, "version 2 did not "
                                    + "beat version 1: auc 0.802 is not >= 0.8 + 0.005", null),
                            started(2, List.of(BATCH)));
        }

        @Test
        void givenTheGatePassed_whenPromoted_thenTheRunEnds_andAReportRepeatedChangesNothing() {
            PipelineGateDecided passed = new PipelineGateDecided(NIGHTLY, 1, true, 2, 1, List.of());
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED, passed)
                    .when(new RecordPipelinePromotion(NIGHTLY, 1, 3))
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.PROMOTED, Step.DEPLOY, null, 3));
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED, passed,
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.PROMOTED, Step.DEPLOY, null, 3))
                    .when(new RecordPipelinePromotion(NIGHTLY, 1, 3))
                    .expectNoEvents();
            fixture.given(V1, started(1, List.of(MANUAL)))
                    .when(new RecordPipelineCandidate(NIGHTLY, 1, 2))
                    .expectEvents(TRAINED);
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED)
                    .when(new RecordPipelineCandidate(NIGHTLY, 1, 2))
                    .expectNoEvents();
        }

        @Test
        void givenAStepUnderWay_whenItFails_thenTheRunStopsThereWithTheReason() {
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED)
                    .when(new FailPipelineRun(NIGHTLY, 1, "evaluation failed: batch unreadable"))
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.EVALUATE,
                            "evaluation failed: batch unreadable", null));
        }
    }

    @Nested
    class Ticks {

        private static final java.time.Instant REGISTERED = java.time.Instant.parse("2026-12-01T00:30:00Z");
        private static final PipelineDefinition NIGHTLY_AT_TWO = new PipelineDefinition(RANKER,
                DEFINITION.training(), DEFINITION.inputs(), DEFINITION.evaluation(), DEFINITION.gate(),
                DEFINITION.deployment(), false, new PipelineDefinition.Schedule("0 0 2 * * *", "Europe/Berlin",
                null));
        private static final PipelineDefinition SKIPPING = new PipelineDefinition(RANKER, DEFINITION.training(),
                DEFINITION.inputs(), DEFINITION.evaluation(), DEFINITION.gate(), DEFINITION.deployment(), false,
                new PipelineDefinition.Schedule("0 0 2 * * *", "Europe/Berlin",
                        PipelineDefinition.Schedule.Missed.SKIP));

        /** The pipeline as registered at {@link #REGISTERED} (the fixture's clock stamps given events). */
        private org.axonframework.test.aggregate.TestExecutor<Pipeline> registered(PipelineDefinition definition,
                                                                                   Object... more) {
            return fixture.givenCurrentTime(REGISTERED)
                    .andGiven(new PipelineVersionRegistered(NIGHTLY, 1, definition)).andGiven(more);
        }

        private PipelineRunStarted scheduled(java.time.Instant tick, long missed) {
            PipelineRunId id = new PipelineRunId(NIGHTLY, 1);
            return new PipelineRunStarted(NIGHTLY, 1, 1, RANKER, List.of(PipelineCause.tick(tick, missed)),
                    List.of(TRAIN), HOLDOUT, Pipeline.derivedSeed(id), id.trainingRun());
        }

        @Test
        void givenNoTickYet_whenTheClockWakesIt_thenNothing() {
            registered(NIGHTLY_AT_TWO)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY,
                            java.time.Instant.parse("2026-12-01T00:59:59Z")))
                    .expectNoEvents();
        }

        @Test
        void givenTheTickFell_whenTheClockWakesIt_thenOneRunForIt_andATickConsideredIsNotRunAgain() {
            java.time.Instant tick = java.time.Instant.parse("2026-12-01T01:00:00Z"); // 02:00 in Berlin
            registered(NIGHTLY_AT_TWO)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, tick.plusSeconds(1)))
                    .expectResultMessagePayload(1)
                    .expectEvents(new io.annals.command.api.pipeline.PipelineScheduleTicked(NIGHTLY, tick, 0, false),
                            scheduled(tick, 0));
        }

        @Test
        void givenThreeDaysWithoutAClock_whenItWakesIt_thenTheLatestTickRunsOnceAndTheOthersAreCounted() {
            java.time.Instant latest = java.time.Instant.parse("2026-12-04T01:00:00Z");
            registered(NIGHTLY_AT_TWO)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, latest.plusSeconds(3600)))
                    .expectEvents(new io.annals.command.api.pipeline.PipelineScheduleTicked(NIGHTLY, latest, 3,
                            false), scheduled(latest, 3));
            registered(NIGHTLY_AT_TWO,
                            new io.annals.command.api.pipeline.PipelineScheduleTicked(NIGHTLY, latest, 3, false))
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, latest.plusSeconds(7200)))
                    .expectNoEvents();
        }

        @Test
        void givenASkippingSchedule_whenATickIsFoundLate_thenItIsRecordedAsSkippedAndNothingRuns() {
            java.time.Instant tick = java.time.Instant.parse("2026-12-01T01:00:00Z");
            registered(SKIPPING)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, tick.plusSeconds(600)))
                    .expectEvents(new io.annals.command.api.pipeline.PipelineScheduleTicked(NIGHTLY, tick, 0, true));
        }

        @Test
        void givenAnInvalidCron_whenRegistered_thenRejectedWithTheReason() {
            PipelineDefinition wrong = new PipelineDefinition(RANKER, DEFINITION.training(), DEFINITION.inputs(),
                    DEFINITION.evaluation(), DEFINITION.gate(), DEFINITION.deployment(), false,
                    new PipelineDefinition.Schedule("every night", null, null));
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, wrong))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage(org.hamcrest.Matchers.startsWith("cron expression 'every night' is invalid"))
                    .expectNoEvents();
        }
    }

    @Nested
    class QuietPeriod {

        private static final java.time.Instant T = java.time.Instant.parse("2026-12-01T10:00:00Z");
        private static final PipelineDefinition DEBOUNCED = new PipelineDefinition(RANKER, DEFINITION.training(),
                DEFINITION.inputs(), DEFINITION.evaluation(), DEFINITION.gate(), DEFINITION.deployment(), true, null,
                java.time.Duration.ofMinutes(10));
        private static final PipelineCause SECOND = new PipelineCause(PipelineCause.Kind.NEW_BATCH,
                new BatchRef(LOANS, BatchId.of("b-newer")), "train", null, "event-2");

        @Test
        void givenAQuietPeriod_whenBatchesCome_thenEachPushesTheStartBack() {
            fixture.givenCurrentTime(T).andGiven(new PipelineVersionRegistered(NIGHTLY, 1, DEBOUNCED))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectResultMessagePayload(null)
                    .expectEvents(new PipelineRunQueued(NIGHTLY, BATCH, T.plusSeconds(600)));
            fixture.givenCurrentTime(T).andGiven(new PipelineVersionRegistered(NIGHTLY, 1, DEBOUNCED),
                            new PipelineRunQueued(NIGHTLY, BATCH, T.minusSeconds(60).plusSeconds(600)))
                    .when(new TriggerPipeline(NIGHTLY, SECOND))
                    .expectEvents(new PipelineRunQueued(NIGHTLY, SECOND, T.plusSeconds(600)));
        }

        @Test
        void givenBatchesKept_whenTheClockWakesItBeforeTheQuietPeriodEnds_thenNothing_andAfter_thenOneRunForAll() {
            Object[] kept = {new PipelineVersionRegistered(NIGHTLY, 1, DEBOUNCED),
                new PipelineRunQueued(NIGHTLY, BATCH, T.plusSeconds(300)),
                new PipelineRunQueued(NIGHTLY, SECOND, T.plusSeconds(600))};
            fixture.givenCurrentTime(T).andGiven(kept)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, T.plusSeconds(599)))
                    .expectNoEvents();
            fixture.givenCurrentTime(T).andGiven(kept)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, T.plusSeconds(600)))
                    .expectResultMessagePayload(1)
                    .expectEvents(started(1, List.of(BATCH, SECOND)));
        }
    }

    @Nested
    class Wake {

        private static final java.time.Instant T = java.time.Instant.parse("2026-12-01T10:00:00Z");

        private PipelineDefinition debounced(PipelineDefinition.WhenBusy whenBusy) {
            return new PipelineDefinition(RANKER, DEFINITION.training(), DEFINITION.inputs(), DEFINITION.evaluation(),
                    DEFINITION.gate(), DEFINITION.deployment(), true, null, java.time.Duration.ofMinutes(10),
                    whenBusy);
        }

        /** A tick at {@code tick} that starts nothing; the state it leaves says when the clock comes back. */
        private void wakeIs(java.time.Instant expected, java.time.Instant tick, Object... given) {
            fixture.givenCurrentTime(T).andGiven(given)
                    .when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, tick))
                    .expectNoEvents()
                    .expectState(p -> org.assertj.core.api.Assertions.assertThat(p.state().nextWake())
                            .isEqualTo(expected));
        }

        @Test
        void givenBatchesKeptBehindARunTheyCannotEnd_thenNoWakeUntilTheRunEnds_thenTheQuietPeriodsEnd() {
            PipelineRunQueued kept = new PipelineRunQueued(NIGHTLY, BATCH, T.plusSeconds(600));
            // after the quiet period, nothing starts behind the run, and nothing wakes the pipeline until it ends
            wakeIs(null, T.plusSeconds(601), new PipelineVersionRegistered(NIGHTLY, 1, debounced(null)),
                    started(1, List.of(MANUAL)), kept);
            wakeIs(T.plusSeconds(600), T.plusSeconds(599), new PipelineVersionRegistered(NIGHTLY, 1, debounced(null)),
                    started(1, List.of(MANUAL)), kept,
                    new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.TRAIN, "training failed", null));
        }

        @Test
        void givenBatchesKeptBehindARunTheyMaySupersede_thenTheyWakeAtTheEndOfTheirQuietPeriod() {
            wakeIs(T.plusSeconds(600), T.plusSeconds(599), new PipelineVersionRegistered(NIGHTLY, 1,
                            debounced(PipelineDefinition.WhenBusy.SUPERSEDE)), started(1, List.of(MANUAL)),
                    new PipelineRunQueued(NIGHTLY, BATCH, T.plusSeconds(600)));
        }

        @Test
        void givenBatchesKeptWhilePaused_thenNoWake_andTheResumeStartsThemOrSetsTheWake() {
            PipelineRunQueued kept = new PipelineRunQueued(NIGHTLY, BATCH, T.plusSeconds(600));
            Object[] paused = {new PipelineVersionRegistered(NIGHTLY, 1, debounced(null)),
                new io.annals.command.api.pipeline.PipelinePaused(NIGHTLY, "maintenance"), kept};
            wakeIs(null, T.plusSeconds(601), paused);
            fixture.givenCurrentTime(T).andGiven(paused)
                    .when(new io.annals.command.api.pipeline.ResumePipeline(NIGHTLY))
                    .expectEvents(new io.annals.command.api.pipeline.PipelineResumed(NIGHTLY))
                    .expectState(p -> org.assertj.core.api.Assertions.assertThat(p.state().nextWake())
                            .isEqualTo(T.plusSeconds(600)));
        }
    }

    @Nested
    class Canary {

        private static final java.time.Instant T = java.time.Instant.parse("2026-12-01T10:00:00Z");
        private static final PipelineDefinition CANARY = new PipelineDefinition(RANKER, DEFINITION.training(),
                DEFINITION.inputs(), DEFINITION.evaluation(), DEFINITION.gate(),
                new PipelineDefinition.Deployment(null, EndpointName.of("scoring"), 20,
                        java.time.Duration.ofHours(1)), false);
        private static final PipelineGateDecided PASSED = new PipelineGateDecided(NIGHTLY, 1, true, 2, 1, List.of());
        private static final io.annals.command.api.pipeline.PipelineCanaryDeployed DEPLOYED =
                new io.annals.command.api.pipeline.PipelineCanaryDeployed(NIGHTLY, 1, 5, 20, T.plusSeconds(3600));

        private org.axonframework.test.aggregate.TestExecutor<Pipeline> given(Object... more) {
            return fixture.givenCurrentTime(T).andGiven(new PipelineVersionRegistered(NIGHTLY, 1, CANARY),
                    started(1, List.of(MANUAL)), TRAINED, PASSED).andGiven(more);
        }

        @Test
        void givenARollbackRefusedAfterAnAlert_whenRetried_thenItGoesOnAtTheWatchAndTheRollbackEndsTheRun() {
            io.annals.command.api.pipeline.PipelineObservationFailed alerted =
                    new io.annals.command.api.pipeline.PipelineObservationFailed(NIGHTLY, 1, "scoring~ranker~v2#1");
            PipelineRunFinished refused = new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.OBSERVE,
                    "rollback refused: endpoint 'scoring' has no earlier revision to roll back to", null);
            given(DEPLOYED, alerted, refused)
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectResultMessagePayload(2)
                    .expectEvents(new io.annals.command.api.pipeline.PipelineRunRetried(NIGHTLY, 1, Step.OBSERVE, 2))
                    .expectState(p -> {
                        var run = p.state().run(1).orElseThrow();
                        org.assertj.core.api.Assertions.assertThat(run.underWay()).isTrue();
                        org.assertj.core.api.Assertions.assertThat(run.observing()).as("the watch is over").isFalse();
                        org.assertj.core.api.Assertions.assertThat(run.observationPassed()).isFalse();
                    });
            given(DEPLOYED, alerted, refused,
                    new io.annals.command.api.pipeline.PipelineRunRetried(NIGHTLY, 1, Step.OBSERVE, 2))
                    .when(new io.annals.command.api.pipeline.RecordPipelineRollback(NIGHTLY, 1, 7))
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.ROLLED_BACK, Step.OBSERVE,
                            "drift alert scoring~ranker~v2#1 against version 2 while it served as a canary: the "
                                    + "endpoint and the alias are back on version 1", 7));
        }

        @Test
        void givenARunThatFailedDuringItsWatch_whenRetried_thenConflict() {
            given(DEPLOYED, new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.OBSERVE, "gone", null))
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run nightly#1 failed at its observe step, which cannot be done again: "
                            + "trigger the pipeline for a new run");
        }

        @Test
        void givenTheGatePassed_whenTheCanaryServes_thenItIsWatchedForTheObservationPeriod() {
            given().when(new io.annals.command.api.pipeline.RecordPipelineCanary(NIGHTLY, 1, 5))
                    .expectEvents(DEPLOYED);
        }

        @Test
        void givenACanary_whenTheObservationEndsWithoutAnAlert_thenItPasses_andThePromotionEndsTheRun() {
            given(DEPLOYED).when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, T.plusSeconds(3599)))
                    .expectNoEvents();
            given(DEPLOYED).when(new io.annals.command.api.pipeline.TickPipeline(NIGHTLY, T.plusSeconds(3600)))
                    .expectEvents(new io.annals.command.api.pipeline.PipelineObservationPassed(NIGHTLY, 1));
            given(DEPLOYED, new io.annals.command.api.pipeline.PipelineObservationPassed(NIGHTLY, 1))
                    .when(new RecordPipelinePromotion(NIGHTLY, 1, 6))
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.PROMOTED, Step.OBSERVE, null, 6));
        }

        @Test
        void givenACanary_whenADriftAlertIsRaisedAgainstIt_thenTheObservationFails_andTheRollbackEndsTheRun() {
            io.annals.command.api.pipeline.PipelineObservationFailed failed =
                    new io.annals.command.api.pipeline.PipelineObservationFailed(NIGHTLY, 1, "scoring~ranker~v2#1");
            given(DEPLOYED).when(new io.annals.command.api.pipeline.RecordPipelineDriftAlert(NIGHTLY, 1,
                            "scoring~ranker~v2#1"))
                    .expectEvents(failed);
            given(DEPLOYED, failed).when(new io.annals.command.api.pipeline.RecordPipelineDriftAlert(NIGHTLY, 1,
                            "scoring~ranker~v2#2"))
                    .expectNoEvents();
            given(DEPLOYED, failed).when(new RecordPipelinePromotion(NIGHTLY, 1, 6)).expectNoEvents();
            given(DEPLOYED, failed).when(new io.annals.command.api.pipeline.RecordPipelineRollback(NIGHTLY, 1, 7))
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.ROLLED_BACK, Step.OBSERVE,
                            "drift alert scoring~ranker~v2#1 against version 2 while it served as a canary: the "
                                    + "endpoint and the alias are back on version 1", 7));
        }
    }

    @Nested
    class Retry {

        private final PipelineRunFinished trainingFailed = new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED,
                Step.TRAIN, "SHA-256 mismatch", null);

        @Test
        void givenAFailedTraining_whenRetried_thenItGoesOnFromThatStepAsAttemptTwo() {
            fixture.given(V1, started(1, List.of(MANUAL)), trainingFailed)
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectResultMessagePayload(2)
                    .expectEvents(new io.annals.command.api.pipeline.PipelineRunRetried(NIGHTLY, 1, Step.TRAIN, 2))
                    .expectState(p -> {
                        org.assertj.core.api.Assertions.assertThat(p.state().run(1).orElseThrow().trainingRun())
                                .isEqualTo(new PipelineRunId(NIGHTLY, 1).trainingRun(2));
                        org.assertj.core.api.Assertions.assertThat(p.state().active()).isPresent();
                    });
        }

        @Test
        void givenARunThatIsNotFailedOrNotTheLatest_whenRetried_thenConflict() {
            fixture.given(V1, started(1, List.of(MANUAL)))
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run nightly#1 is under way: only a failed run can be retried");
            fixture.given(V1, started(1, List.of(MANUAL)), trainingFailed, started(2, List.of(BATCH)))
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run nightly#1 is not the pipeline's latest (run nightly#2 is): "
                            + "retrying it would promote older work");
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED,
                            new PipelineGateDecided(NIGHTLY, 1, false, 2, 1, List.of()),
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.REJECTED, Step.GATE, "worse", null))
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectException(DomainException.class)
                    .expectExceptionMessage("run nightly#1 was rejected, not failed: only a failed run can be retried");
        }

        @Test
        void givenARetriedEvaluation_thenBothVersionsAreEvaluatedAgainUnderIdsOfTheAttempt() {
            fixture.given(V1, started(1, List.of(MANUAL)), TRAINED,
                            new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.EVALUATE, "worker lost", null),
                            new io.annals.command.api.pipeline.PipelineRunRetried(NIGHTLY, 1, Step.EVALUATE, 2))
                    .when(new RecordPipelineEvaluation(NIGHTLY, 1, Role.CANDIDATE, Map.of("auc", 0.9)))
                    .expectEvents(new PipelineVersionEvaluated(NIGHTLY, 1, Role.CANDIDATE, 2, Map.of("auc", 0.9)))
                    .expectState(p -> org.assertj.core.api.Assertions.assertThat(
                            p.state().run(1).orElseThrow().evaluation(Role.CHAMPION).value())
                            .isEqualTo("pipeline.nightly.1.r2.champion"));
        }
    }

    @Nested
    class Supersede {

        private static final PipelineDefinition LATEST_WINS = new PipelineDefinition(RANKER, DEFINITION.training(),
                DEFINITION.inputs(), DEFINITION.evaluation(), DEFINITION.gate(), DEFINITION.deployment(), true, null,
                null, PipelineDefinition.WhenBusy.SUPERSEDE);

        @Test
        void givenARunTraining_whenANewBatchComes_thenTheRunIsSupersededAndANewOneStarts() {
            PipelineRunId second = new PipelineRunId(NIGHTLY, 2);
            fixture.given(new PipelineVersionRegistered(NIGHTLY, 1, LATEST_WINS), started(1, List.of(MANUAL)))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectResultMessagePayload(2)
                    .expectEvents(new PipelineRunFinished(NIGHTLY, 1, Outcome.SUPERSEDED, Step.TRAIN,
                                    "superseded by a newer trigger (new batch)", null),
                            new PipelineRunStarted(NIGHTLY, 2, 1, RANKER, List.of(BATCH), List.of(TRAIN), HOLDOUT,
                                    Pipeline.derivedSeed(second), second.trainingRun()));
        }

        @Test
        void givenARunPastItsGate_whenANewBatchComes_thenItIsQueuedInstead() {
            fixture.given(new PipelineVersionRegistered(NIGHTLY, 1, LATEST_WINS), started(1, List.of(MANUAL)),
                            TRAINED, new PipelineGateDecided(NIGHTLY, 1, true, 2, 1, List.of()))
                    .when(new TriggerPipeline(NIGHTLY, BATCH))
                    .expectEvents(new PipelineRunQueued(NIGHTLY, BATCH));
        }
    }

    /** A pipeline on a feature set: each run first materialises its training set and held-out set. */
    @Nested
    class OnAFeatureSet {

        private final DatasetName sets = DatasetName.of("churn-sets");
        private final PipelineDefinition definition = onSpend(null, List.of("spend_7d", "avg_spend"));
        private final PipelineVersionRegistered registered = new PipelineVersionRegistered(NIGHTLY, 1, definition);

        private PipelineDefinition onSpend(Integer version, List<String> features) {
            return new PipelineDefinition(RANKER, new PipelineDefinition.Training(Task.BINARY_CLASSIFICATION,
                    features, "label", Hyperparameters.DEFAULTS, 7L),
                    List.of(new PipelineDefinition.Input(OUTCOMES, List.of("train"))),
                    new PipelineDefinition.HeldOut(OUTCOMES, "holdout"), List.of(new GateRule("auc", null, 0)),
                    new PipelineDefinition.Deployment(null, null), true, null, null, null,
                    new PipelineDefinition.FeatureInput(SPEND, version, List.of("uid"), "when", sets));
        }

        private PipelineRunStarted startedOn(int featureSetVersion) {
            PipelineRunId id = new PipelineRunId(NIGHTLY, 1);
            return new PipelineRunStarted(NIGHTLY, 1, 1, RANKER, List.of(MANUAL), List.of(LABELS_TRAIN),
                    LABELS_HOLDOUT, 7L, id.trainingRun(), featureSetVersion);
        }

        private TrainingSetOutput output(String batch) {
            return new TrainingSetOutput(sets, BatchId.of(batch), "s3://annals/" + batch, SHA, 80, 4_000);
        }

        @Test
        void givenTheFeatureSetAndLabels_whenRegistered_thenVersionOne() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, definition))
                    .expectResultMessagePayload(1)
                    .expectEvents(registered);
        }

        @Test
        void givenAFeatureTheFeatureSetDoesNotCompute_whenRegistered_thenRejectedNamingIt() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, onSpend(null, List.of("spend_7d", "spend_30d"))))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("feature set 'spend' version 1 computes no feature spend_30d (its "
                            + "features: spend_7d, avg_spend)");
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, onSpend(3, List.of("spend_7d"))))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("feature set 'spend' has no version 3");
        }

        @Test
        void givenLabelsThatDoNotFitTheFeatureSet_whenRegistered_thenRejectedNamingTheColumn() {
            datasets.schemas.put(OUTCOMES, new DatasetSchema(List.of(new ColumnSpec("uid", ColumnType.LONG, false),
                    new ColumnSpec("when", ColumnType.TIMESTAMP, false), new ColumnSpec("label", ColumnType.LONG,
                            false))));
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, definition))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("entity key column 'uid' of label dataset 'outcomes' is LONG but the "
                            + "feature set's key 'user' is STRING");
        }

        @Test
        void givenTheSetsDatasetWithOtherColumns_whenRegistered_thenRejectedAskingForAnother() {
            datasets.schemas.put(sets, Fixtures.schema());
            fixture.givenNoPriorActivity()
                    .when(new RegisterPipeline(NIGHTLY, definition))
                    .expectException(IllegalArgumentException.class)
                    .expectExceptionMessage("dataset 'churn-sets' exists with other columns [x1, x2, note, label] "
                            + "than this pipeline's training sets would write [uid, when, label, spend_7d, avg_spend]: "
                            + "name another dataset for them (featureSet.output)");
        }

        @Test
        void givenTheLatestVersion_whenTriggered_thenTheRunPinsItAndStartsByMaterialising() {
            featureSets.versions.put(2, SPEND_V1);
            fixture.given(registered)
                    .when(new TriggerPipeline(NIGHTLY, MANUAL))
                    .expectEvents(startedOn(2))
                    .expectState(p -> {
                        var run = p.state().run(1).orElseThrow();
                        org.assertj.core.api.Assertions.assertThat(run.step()).isEqualTo(Step.MATERIALIZE);
                        org.assertj.core.api.Assertions.assertThat(run.trainingSet(Purpose.HELD_OUT).value())
                                .isEqualTo("pipeline.nightly.1.held-out");
                        org.assertj.core.api.Assertions.assertThat(run.evaluationBatch()).isNull();
                    });
        }

        @Test
        void givenNoFeatureSet_whenTriggered_thenTheRunFailsAtOnceAtMaterialising() {
            featureSets.versions.clear();
            fixture.given(registered)
                    .when(new TriggerPipeline(NIGHTLY, MANUAL))
                    .expectEvents(startedOn(0), new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED, Step.MATERIALIZE,
                            "nothing to read in feature set 'spend'", null));
        }

        @Test
        void givenBothTrainingSets_thenTheRunTrainsAndEvaluatesOnTheHeldOutSet() {
            TrainingSetId training = new PipelineRunId(NIGHTLY, 1).trainingSet(Purpose.TRAINING, 1);
            TrainingSetId heldOut = new PipelineRunId(NIGHTLY, 1).trainingSet(Purpose.HELD_OUT, 1);
            PipelineTrainingSetReady trainingReady = new PipelineTrainingSetReady(NIGHTLY, 1, Purpose.TRAINING,
                    training, output(training.value()));
            fixture.given(registered, startedOn(1))
                    .when(new RecordPipelineTrainingSet(NIGHTLY, 1, Purpose.TRAINING, training,
                            output(training.value())))
                    .expectEvents(trainingReady)
                    .expectState(p -> org.assertj.core.api.Assertions.assertThat(p.state().run(1).orElseThrow()
                            .step()).isEqualTo(Step.MATERIALIZE));
            fixture.given(registered, startedOn(1), trainingReady)
                    .when(new RecordPipelineTrainingSet(NIGHTLY, 1, Purpose.HELD_OUT, heldOut,
                            output(heldOut.value())))
                    .expectEvents(new PipelineTrainingSetReady(NIGHTLY, 1, Purpose.HELD_OUT, heldOut,
                            output(heldOut.value())))
                    .expectState(p -> {
                        var run = p.state().run(1).orElseThrow();
                        org.assertj.core.api.Assertions.assertThat(run.step()).isEqualTo(Step.TRAIN);
                        org.assertj.core.api.Assertions.assertThat(run.evaluationBatch())
                                .isEqualTo(new BatchRef(sets, BatchId.of(heldOut.value())));
                    });
            // the same report again, or one for another attempt's set, changes nothing
            fixture.given(registered, startedOn(1), trainingReady)
                    .when(new RecordPipelineTrainingSet(NIGHTLY, 1, Purpose.TRAINING, training,
                            output(training.value())))
                    .expectNoEvents();
            fixture.given(registered, startedOn(1))
                    .when(new RecordPipelineTrainingSet(NIGHTLY, 1, Purpose.TRAINING,
                            new PipelineRunId(NIGHTLY, 1).trainingSet(Purpose.TRAINING, 2), output("x")))
                    .expectNoEvents();
        }

        @Test
        void givenAFailedMaterialisation_whenRetried_thenAttemptTwoAsksForNewSets() {
            fixture.given(registered, startedOn(1), new PipelineRunFinished(NIGHTLY, 1, Outcome.FAILED,
                            Step.MATERIALIZE, "training set pipeline.nightly.1.training failed: disk full", null))
                    .when(new io.annals.command.api.pipeline.RetryPipelineRun(NIGHTLY, 1))
                    .expectResultMessagePayload(2)
                    .expectEvents(new io.annals.command.api.pipeline.PipelineRunRetried(NIGHTLY, 1,
                            Step.MATERIALIZE, 2))
                    .expectState(p -> {
                        var run = p.state().run(1).orElseThrow();
                        org.assertj.core.api.Assertions.assertThat(run.trainingSet(Purpose.TRAINING).value())
                                .isEqualTo("pipeline.nightly.1.r2.training");
                        org.assertj.core.api.Assertions.assertThat(run.trainingRun().value())
                                .isEqualTo("pipeline.nightly.1.r2");
                    });
        }
    }
}
