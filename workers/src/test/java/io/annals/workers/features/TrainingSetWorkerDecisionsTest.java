package io.annals.workers.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSetDefinition;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingset.ClaimTrainingSet;
import io.annals.command.api.trainingset.CompleteTrainingSet;
import io.annals.command.api.trainingset.FailTrainingSet;
import io.annals.command.api.trainingset.LabelSpec;
import io.annals.command.api.trainingset.ReleaseExpiredTrainingSetLease;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.ScriptedEvents;
import io.annals.workers.port.CommandPort;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.DigestMismatchException;
import io.annals.workers.storage.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Given these events (and these stored batches), the training-set worker sends these commands. */
class TrainingSetWorkerDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
    private static final TrainingSetId ID = TrainingSetId.of("ts-1");
    private static final DatasetName EVENTS = DatasetName.of("events");
    private static final DatasetName LABELS = DatasetName.of("labels");
    private static final DatasetName OUTPUT = DatasetName.of("churn-training");
    private static final DatasetSchema EVENTS_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("user", ColumnType.STRING, false), new ColumnSpec("at", ColumnType.TIMESTAMP, false),
            new ColumnSpec("amount", ColumnType.DOUBLE, true)));
    private static final DatasetSchema LABEL_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, false), new ColumnSpec("when", ColumnType.TIMESTAMP, false),
            new ColumnSpec("churned", ColumnType.LONG, false)));
    private static final DatasetSchema OUTPUT_SCHEMA = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, false), new ColumnSpec("when", ColumnType.TIMESTAMP, false),
            new ColumnSpec("churned", ColumnType.LONG, false), new ColumnSpec("spend_1d", ColumnType.DOUBLE, false)));
    private static final FeatureSetDefinition DEFINITION = new FeatureSetDefinition("", "team", EVENTS,
            List.of("user"), "at", List.of(new FeatureSpec("spend_1d", "amount", Aggregation.SUM, "P1D")));

    private final List<Object> sent = new CopyOnWriteArrayList<>();
    private final CommandPort commands = new CommandPort() {
        @Override
        public <R> R send(Object command, Actor actor, String correlationId) {
            assertThat(actor).isEqualTo(Actor.service("training-set-worker/w1"));
            sent.add(command);
            return null;
        }
    };
    /** Object storage on the local disk: keys to files, each written once. */
    private final Map<String, Path> objects = new ConcurrentHashMap<>();
    private final ArtifactStore store = new ArtifactStore() {
        @Override
        public ArtifactRef putOnce(String key, Path file, String sha256) {
            try {
                Path copy = Files.createTempFile(stored, "object", ".bin");
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertThat(objects.putIfAbsent("s3://test/" + key, copy)).isNull();
                return new ArtifactRef("s3://test/" + key, sha256, Files.size(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void fetchVerified(ArtifactRef artifact, Path target) {
            try {
                Files.copy(objects.get(artifact.location()), target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String actual = Sha256.of(target);
            if (!actual.equals(artifact.sha256())) {
                throw new DigestMismatchException(artifact.location(), artifact.sha256(), actual);
            }
        }

        @Override
        public void delete(String location) {
            objects.remove(location);
        }
    };
    private final ScriptedEvents events = new ScriptedEvents();
    @TempDir
    Path work;
    @TempDir
    Path stored;
    private TrainingSetWorker worker;

    private TrainingSetWorker worker() {
        worker = new TrainingSetWorker("w1", events, commands, dataset -> Optional.empty(), store, work,
                Duration.ofMinutes(2), 2, Clock.fixed(NOW, ZoneOffset.UTC));
        return worker;
    }

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
    }

    private BatchInput put(DatasetName dataset, String batch, String csv) throws IOException {
        Path file = Files.createTempFile(stored, batch, ".csv");
        Files.writeString(file, csv);
        objects.put("s3://test/" + batch, file);
        return new BatchInput(new BatchRef(dataset, BatchId.of(batch)), "s3://test/" + batch, Sha256.of(file), 2);
    }

    private TrainingSetRequested requested(BatchInput source) throws IOException {
        return requested(ID, source);
    }

    private TrainingSetRequested requested(TrainingSetId id, BatchInput source) throws IOException {
        BatchInput labels = put(LABELS, "l-1",
                "uid,when,churned\nann,2026-03-02T00:00:00Z,1\nbob,2026-03-02T00:00:00Z,0\n");
        return new TrainingSetRequested(id, FeatureSetName.of("spend"), 1, DEFINITION, EVENTS_SCHEMA, List.of(source),
                new LabelSpec(LABELS, List.of(BatchId.of("l-1")), List.of("uid"), "when", "churned"), LABEL_SCHEMA,
                List.of(labels), OUTPUT, OUTPUT_SCHEMA);
    }

    @Test
    void givenARequestedJob_thenItClaimsJoinsStoresRegistersIngestsAndCompletes() throws IOException {
        BatchInput source = put(EVENTS, "e-1", "user,at,amount\nann,2026-03-01T12:00:00Z,2.5\n"
                + "ann,2026-02-01T12:00:00Z,100\nbob,2026-03-03T00:00:00Z,7\n");
        events.add(requested(source));
        worker().step();

        await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream().anyMatch(c -> c instanceof CompleteTrainingSet
                || c instanceof FailTrainingSet));
        assertThat(sent.get(0)).isEqualTo(new ClaimTrainingSet(ID, "w1", NOW, Duration.ofMinutes(2)));
        RegisterDataset register = only(RegisterDataset.class);
        assertThat(register.name()).isEqualTo(OUTPUT);
        assertThat(register.schema()).isEqualTo(OUTPUT_SCHEMA);
        IngestDatasetBatch ingest = only(IngestDatasetBatch.class);
        assertThat(ingest.batchId()).isEqualTo(BatchId.of("ts-1"));
        assertThat(ingest.rows()).isEqualTo(2);
        assertThat(Files.readString(objects.get(ingest.location()))).isEqualTo("""
                uid,when,churned,spend_1d
                ann,2026-03-02T00:00:00Z,1,2.5
                bob,2026-03-02T00:00:00Z,0,0.0
                """);
        assertThat(ingest.sha256()).isEqualTo(Sha256.of(objects.get(ingest.location())));
        assertThat(ingest.statistics()).extracting(s -> s.column()).containsExactly("uid", "when", "churned",
                "spend_1d");
        CompleteTrainingSet complete = only(CompleteTrainingSet.class);
        assertThat(complete.output().batchId()).isEqualTo(BatchId.of("ts-1"));
        assertThat(complete.output().sha256()).isEqualTo(ingest.sha256());
        assertThat(sent.indexOf(ingest)).isLessThan(sent.indexOf(complete));
    }

    @Test
    void givenASourceBatchWhoseBytesChanged_thenTheJobFailsNamingTheDigestAndNothingIsIngested() throws IOException {
        BatchInput source = put(EVENTS, "e-2", "user,at,amount\nann,2026-03-01T12:00:00Z,2.5\n");
        Files.writeString(objects.get("s3://test/e-2"), "user,at,amount\nann,2026-03-01T12:00:00Z,999\n");
        events.add(requested(source));
        worker().step();

        await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream().anyMatch(c -> c instanceof FailTrainingSet));
        assertThat(only(FailTrainingSet.class).reason()).contains("s3://test/e-2").contains(source.sha256());
        assertThat(sent).noneMatch(c -> c instanceof IngestDatasetBatch || c instanceof CompleteTrainingSet);
    }

    @Test
    void givenAJobHeldByAWorkerWhoseLeaseRanOut_thenItReleasesIt() throws IOException {
        events.add(requested(put(EVENTS, "e-3", "user,at,amount\n")))
                .add(new TrainingSetClaimed(ID, "dead-worker", 1, NOW.minusSeconds(1)));
        worker().step();

        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        assertThat(sent).containsExactly(new ReleaseExpiredTrainingSetLease(ID, NOW));
        assertThat(worker.working()).isFalse();
    }

    @Test
    void givenAHistory_whenAWorkerStartsFromTheEventsAnotherKept_thenItKeepsOnlyTheOpenJobAndDecidesTheSame()
            throws IOException {
        TrainingSetId done = TrainingSetId.of("ts-done");
        BatchInput source = put(EVENTS, "e-4", "user,at,amount\n");
        events.add(requested(done, source)).add(new TrainingSetClaimed(done, "w0", 1, NOW.plusSeconds(60)))
                .add(new TrainingSetMaterialized(done, FeatureSetName.of("spend"), 1, "w0", null))
                .add(requested(ID, source)).add(new TrainingSetClaimed(ID, "dead-worker", 1, NOW.minusSeconds(300)))
                .add(new TrainingSetProgressed(ID, "join", 1, 2, NOW.minusSeconds(1)));
        TrainingSetWorker first = worker();
        first.step();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        List<Object> decided = List.copyOf(sent);
        List<EventEnvelope> kept = first.retained();
        first.close();

        assertThat(kept).extracting(e -> e.payload().getClass().getSimpleName()).containsExactly(
                "TrainingSetRequested", "TrainingSetClaimed", "TrainingSetProgressed");
        assertThat(decided).containsExactly(new ReleaseExpiredTrainingSetLease(ID, NOW));

        sent.clear();
        events.addAll(kept);
        worker().step();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        assertThat(sent).isEqualTo(decided);
    }

    private <T> T only(Class<T> type) {
        List<T> matching = sent.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("commands of type %s in %s", type.getSimpleName(), sent).hasSize(1);
        return matching.get(0);
    }
}
