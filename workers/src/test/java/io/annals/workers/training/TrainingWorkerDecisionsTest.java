package io.annals.workers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.ReleaseExpiredLease;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.ScriptedEvents;
import io.annals.workers.port.CommandPort;
import io.annals.workers.storage.ArtifactStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training worker's decisions, given events: which run it claims, which lease it releases. No Kafka, no S3. */
class TrainingWorkerDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

    /** Records every command; claims are refused (another worker won), so nothing is trained. */
    private final List<Object> sent = new CopyOnWriteArrayList<>();
    private final List<Actor> actors = new CopyOnWriteArrayList<>();
    private final CommandPort commands = new CommandPort() {
        @Override
        public <R> R send(Object command, Actor actor, String correlationId) {
            sent.add(command);
            actors.add(actor);
            if (command instanceof ClaimTrainingRun) {
                throw DomainException.conflict("claimed by another worker");
            }
            return null;
        }
    };
    private final ArtifactStore unusedStore = new ArtifactStore() {
        @Override
        public ArtifactRef putOnce(String key, Path file, String sha256) {
            throw new AssertionError("nothing is trained in this test");
        }

        @Override
        public void fetchVerified(ArtifactRef artifact, Path target) {
            throw new AssertionError("nothing is trained in this test");
        }

        @Override
        public void delete(String location) {
        }
    };
    private final ScriptedEvents events = new ScriptedEvents();
    @TempDir
    Path work;
    private TrainingWorker worker;

    private TrainingWorker worker(Instant now) {
        worker = new TrainingWorker("w1", events, commands, unusedStore, work, Duration.ofMinutes(2),
                Clock.fixed(now, ZoneOffset.UTC), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        return worker;
    }

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
        }
    }

    private static TrainingRunRequested requested(String run) {
        BatchRef batch = new BatchRef(DatasetName.of("loans"), BatchId.of("b1"));
        return new TrainingRunRequested(TrainingRunId.of(run), ModelName.of("risk"), Task.BINARY_CLASSIFICATION,
                List.of(batch), List.of("x"), "label", Hyperparameters.DEFAULTS, 1,
                List.of(new BatchInput(batch, "s3://annals/b1.csv", "a".repeat(64), 10)), null);
    }

    @Test
    void givenARequestedRun_whenIdle_thenItClaimsItUnderItsLeaseAsItself() {
        events.add(requested("run-1"));
        worker(NOW).step();

        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        assertThat(sent).singleElement().isEqualTo(new ClaimTrainingRun(TrainingRunId.of("run-1"), "w1", NOW,
                Duration.ofMinutes(2)));
        assertThat(actors).containsExactly(Actor.service("training-worker/w1"));
    }

    @Test
    void givenARunHeldByAnotherWorkerWhoseLeaseRanOut_thenItReleasesTheLeaseAndDoesNotClaimIt() {
        events.add(requested("run-2")).add(new TrainingRunClaimed(TrainingRunId.of("run-2"), "dead-worker", 1,
                NOW.minusSeconds(1)));
        worker(NOW).step();

        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        assertThat(sent).containsExactly(new ReleaseExpiredLease(TrainingRunId.of("run-2"), NOW));
    }

    @Test
    void givenARunHeldByAnotherWorkerWithinItsLease_thenItLeavesItAlone() {
        events.add(requested("run-3")).add(new TrainingRunClaimed(TrainingRunId.of("run-3"), "busy-worker", 1,
                NOW.plusSeconds(60)));
        worker(NOW).step();

        assertThat(worker.training()).as("started no run").isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void givenAHistory_whenAWorkerStartsFromTheEventsAnotherKept_thenItKeepsOnlyOpenRunsAndDecidesTheSame() {
        events.add(requested("run-done")).add(new TrainingRunClaimed(TrainingRunId.of("run-done"), "w0", 1,
                        NOW.plusSeconds(60)))
                .add(new TrainingRunCompleted(TrainingRunId.of("run-done"), ModelName.of("risk"),
                        Task.BINARY_CLASSIFICATION, List.of(), List.of("x"), "w0",
                        new ArtifactRef("s3://annals/m.zip", "c".repeat(64), 1), Map.of(),
                        new ScoreBaseline(List.of(), List.of(1.0), 1)))
                // held by a worker that died: its lease ran out
                .add(requested("run-dead")).add(new TrainingRunClaimed(TrainingRunId.of("run-dead"), "dead", 1,
                        NOW.minusSeconds(120)))
                .add(new TrainingEpochCompleted(TrainingRunId.of("run-dead"), 1, 40, 0.5, 0.6, Map.of(),
                        NOW.minusSeconds(1)))
                // released once, then claimed again by a worker that is busy with it now
                .add(requested("run-busy")).add(new TrainingRunClaimed(TrainingRunId.of("run-busy"), "gone", 1,
                        NOW.minusSeconds(300)))
                .add(new TrainingRunLeaseExpired(TrainingRunId.of("run-busy"), "gone", 1))
                .add(new TrainingRunClaimed(TrainingRunId.of("run-busy"), "busy", 2, NOW.minusSeconds(10)))
                .add(new TrainingEpochCompleted(TrainingRunId.of("run-busy"), 1, 40, 0.5, 0.6, Map.of(),
                        NOW.plusSeconds(90)))
                // nobody has it yet
                .add(requested("run-new"));
        TrainingWorker first = worker(NOW);
        first.step();
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 2);
        List<Object> decided = List.copyOf(sent);
        List<EventEnvelope> kept = first.retained();
        first.close();

        assertThat(kept).extracting(e -> e.payload().getClass().getSimpleName() + " " + runOf(e.payload()))
                .containsExactly("TrainingRunRequested run-dead", "TrainingRunClaimed run-dead",
                        "TrainingEpochCompleted run-dead", "TrainingRunRequested run-busy",
                        "TrainingRunLeaseExpired run-busy", "TrainingRunClaimed run-busy",
                        "TrainingEpochCompleted run-busy", "TrainingRunRequested run-new");

        sent.clear();
        events.addAll(kept);
        worker(NOW).step();
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 2);
        assertThat(sent).containsExactlyInAnyOrderElementsOf(decided);
        assertThat(decided).containsExactlyInAnyOrder(new ReleaseExpiredLease(TrainingRunId.of("run-dead"), NOW),
                new ClaimTrainingRun(TrainingRunId.of("run-new"), "w1", NOW, Duration.ofMinutes(2)));
    }

    private static String runOf(Object event) {
        try {
            return ((TrainingRunId) event.getClass().getMethod("runId").invoke(event)).value();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void givenACompletedRun_thenNothingIsSent() {
        events.add(requested("run-4")).add(new TrainingRunCompleted(TrainingRunId.of("run-4"), ModelName.of("risk"),
                Task.BINARY_CLASSIFICATION, List.of(), List.of("x"), "w0",
                new ArtifactRef("s3://annals/m.zip", "c".repeat(64), 1), Map.of(),
                new ScoreBaseline(List.of(), List.of(1.0), 1)));
        worker(NOW).step();

        assertThat(worker.training()).as("started no run").isFalse();
        assertThat(sent).isEmpty();
    }
}
