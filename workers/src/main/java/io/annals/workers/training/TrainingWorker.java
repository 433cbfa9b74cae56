package io.annals.workers.training;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.model.FailModelEvaluation;
import io.annals.command.api.model.ModelEvaluationFailed;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.model.ModelVersionEvaluated;
import io.annals.command.api.model.RecordModelEvaluation;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.ClaimTrainingRun;
import io.annals.command.api.trainingrun.CompleteTrainingRun;
import io.annals.command.api.trainingrun.FailTrainingRun;
import io.annals.command.api.trainingrun.RecordTrainingEpoch;
import io.annals.command.api.trainingrun.ReleaseExpiredLease;
import io.annals.command.api.trainingrun.TrainingEpochCompleted;
import io.annals.command.api.trainingrun.TrainingRunClaimed;
import io.annals.command.api.trainingrun.TrainingRunCompleted;
import io.annals.command.api.trainingrun.TrainingRunFailed;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingrun.TrainingRunLeaseExpired;
import io.annals.command.api.trainingrun.TrainingRunRequested;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.events.RetainedEvents;
import io.annals.workers.port.CommandPort;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.Sha256;
import io.annals.workers.storage.WorkDirectories;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains requested runs. It follows the event log to know which runs are waiting, claims one under a lease (the
 * TrainingRun aggregate lets only one worker hold it), reads its batches from S3 with their digests checked, trains,
 * reports every epoch (which renews the lease), stores the artifact and completes the run. Any failure fails the
 * run with its reason. It also watches the leases of runs held by others: a lease that ran out (its worker died) is
 * released, and the run is claimed again by whichever worker is free.
 */
public final class TrainingWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingWorker.class);
    private static final Duration LEASE_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final String workerId;
    private final Actor actor;
    private final EventSource events;
    private final CommandPort commands;
    private final ArtifactStore store;
    private final Path workDirectory;
    private final Duration lease;
    private final Clock clock;
    private final ExecutorService trainer;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Map<TrainingRunId, OpenRun> open = new LinkedHashMap<>();
    private final RetainedEvents retained = new RetainedEvents();
    /** Evaluations with no result yet, with the correlation id of their request; those started here are marked. */
    private final Map<EvaluationId, ModelEvaluationRequested> evaluations = new LinkedHashMap<>();
    private final Map<EvaluationId, String> evaluationCorrelations = new LinkedHashMap<>();
    private final Set<EvaluationId> evaluating = new HashSet<>();
    private Instant nextLeaseCheck = Instant.MIN;

    private static final class OpenRun {
        final TrainingRunRequested request;
        final String correlationId;
        String holder;
        Instant leaseExpiresAt;

        OpenRun(TrainingRunRequested request, String correlationId) {
            this.request = request;
            this.correlationId = correlationId;
        }
    }

    private final MeterRegistry meters;

    /** {@code meters} receives epochs trained and run durations ({@code annals.training.*}). */
    public TrainingWorker(String workerId, EventSource events, CommandPort commands, ArtifactStore store,
                          Path workDirectory, Duration lease, Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.workerId = workerId;
        this.actor = Actor.service("training-worker/" + workerId);
        this.events = events;
        this.commands = commands;
        this.store = store;
        this.workDirectory = workDirectory;
        this.lease = lease;
        this.clock = clock;
        this.trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "annals-training-" + workerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** One polling step: apply new events, then start a run if idle, then check leases. */
    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(200))) {
            apply(e);
        }
        events.offerSnapshot(retained::events);
        if (!events.caughtUp()) {
            return;
        }
        startNextRun();
        releaseExpiredLeases();
    }

    private synchronized void apply(EventEnvelope e) {
        Object event = e.payload();
        if (event instanceof TrainingRunRequested r) {
            open.put(r.runId(), new OpenRun(r, e.correlationId()));
            retained.add(run(r.runId()), e);
        } else if (event instanceof TrainingRunClaimed c) {
            withRun(c.runId(), run -> {
                run.holder = c.workerId();
                run.leaseExpiresAt = c.leaseExpiresAt();
            });
            retained.replaceType(run(c.runId()), e);
        } else if (event instanceof TrainingEpochCompleted ep) {
            withRun(ep.runId(), run -> run.leaseExpiresAt = ep.leaseExpiresAt());
            retained.replaceType(run(ep.runId()), e);
        } else if (event instanceof TrainingRunLeaseExpired x) {
            withRun(x.runId(), run -> {
                run.holder = null;
                run.leaseExpiresAt = null;
            });
            retained.replaceType(run(x.runId()), e);
        } else if (event instanceof TrainingRunCompleted c) {
            open.remove(c.runId());
            retained.remove(run(c.runId()));
        } else if (event instanceof TrainingRunFailed f) {
            open.remove(f.runId());
            retained.remove(run(f.runId()));
        } else if (event instanceof ModelEvaluationRequested r) {
            evaluations.put(r.evaluationId(), r);
            evaluationCorrelations.put(r.evaluationId(), e.correlationId());
            retained.add(evaluation(r.evaluationId()), e);
        } else if (event instanceof ModelVersionEvaluated done) {
            finished(done.evaluationId());
        } else if (event instanceof ModelEvaluationFailed failed) {
            finished(failed.evaluationId());
        }
    }

    private static String run(TrainingRunId id) {
        return "run:" + id.value();
    }

    private static String evaluation(EvaluationId id) {
        return "evaluation:" + id.value();
    }

    /** The events the open runs and evaluations rest on, for this worker's snapshots. */
    List<EventEnvelope> retained() {
        return retained.events();
    }

    private void finished(EvaluationId id) {
        retained.remove(evaluation(id));
        evaluations.remove(id);
        evaluationCorrelations.remove(id);
        evaluating.remove(id);
    }

    private void withRun(TrainingRunId id, java.util.function.Consumer<OpenRun> change) {
        OpenRun run = open.get(id);
        if (run != null) {
            change.accept(run);
        }
    }

    private void startNextRun() {
        if (busy.get()) {
            return;
        }
        OpenRun next;
        synchronized (this) {
            next = open.values().stream().filter(r -> r.holder == null).findFirst().orElse(null);
            if (next == null) {
                startNextEvaluation();
                return;
            }
            // assume ours until the Claimed event says otherwise, so this step does not pick it again
            next.holder = workerId;
            next.leaseExpiresAt = clock.instant().plus(lease);
        }
        busy.set(true);
        OpenRun run = next;
        trainer.execute(() -> {
            try {
                execute(run.request, run.correlationId);
            } finally {
                busy.set(false);
            }
        });
    }

    /**
     * Evaluations are short and need no lease: one that no worker finished (its worker stopped) is taken up again by
     * every worker when it starts and reads the log; the first result recorded counts.
     */
    private void startNextEvaluation() {
        ModelEvaluationRequested next = evaluations.values().stream()
                .filter(r -> !evaluating.contains(r.evaluationId())).findFirst().orElse(null);
        if (next == null) {
            return;
        }
        evaluating.add(next.evaluationId());
        String correlationId = evaluationCorrelations.get(next.evaluationId());
        busy.set(true);
        trainer.execute(() -> {
            try {
                evaluate(next, correlationId);
            } finally {
                busy.set(false);
            }
        });
    }

    /** Evaluates one version on one batch; the outcome is a result or a failure on record. */
    void evaluate(ModelEvaluationRequested request, String correlationId) {
        Path dir = workDirectory.resolve("evaluation-" + request.evaluationId() + "-" + UUID.randomUUID());
        log.info("Evaluation {}: model '{}' version {} on batch {} of '{}'", request.evaluationId(), request.model(),
                request.version(), request.batch().batch().batchId(), request.batch().batch().dataset());
        try {
            Files.createDirectories(dir);
            ModelEvaluator.Result result = ModelEvaluator.evaluate(request, store, dir);
            commands.send(new RecordModelEvaluation(request.model(), request.evaluationId(), result.rows(),
                    finiteValues(result.metrics()), result.baseline(), result.profile()), actor, correlationId);
            log.info("Evaluation {}: {} rows, {}", request.evaluationId(), result.rows(), result.metrics());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("Evaluation {}: failed: {}", request.evaluationId(), reason);
            try {
                commands.send(new FailModelEvaluation(request.model(), request.evaluationId(), reason), actor,
                        correlationId);
            } catch (RuntimeException refused) {
                log.error("Evaluation {}: could not record the failure ({}); it will be tried again when a worker "
                        + "starts", request.evaluationId(), refused.getMessage());
            }
        } finally {
            try {
                WorkDirectories.deleteTree(dir);
            } catch (IOException e) {
                log.warn("could not delete {}", dir);
            }
        }
    }

    private void releaseExpiredLeases() {
        Instant now = clock.instant();
        if (now.isBefore(nextLeaseCheck)) {
            return;
        }
        nextLeaseCheck = now.plus(LEASE_CHECK_INTERVAL);
        Map<TrainingRunId, OpenRun> expired = new LinkedHashMap<>();
        synchronized (this) {
            open.forEach((id, run) -> {
                if (run.holder != null && run.leaseExpiresAt != null && !now.isBefore(run.leaseExpiresAt)) {
                    expired.put(id, run);
                }
            });
        }
        expired.forEach((id, run) -> {
            try {
                commands.send(new ReleaseExpiredLease(id, now), actor, run.correlationId);
                log.warn("Run {}: lease of {} ran out at {}; released for another attempt", id, run.holder,
                        run.leaseExpiresAt);
            } catch (RuntimeException refused) {
                log.debug("Run {}: lease not released: {}", id, refused.getMessage());
            }
        });
    }

    /** Claims and trains one run; every outcome ends in an event. */
    void execute(TrainingRunRequested request, String correlationId) {
        TrainingRunId runId = request.runId();
        try {
            commands.send(new ClaimTrainingRun(runId, workerId, clock.instant(), lease), actor, correlationId);
        } catch (RuntimeException refused) {
            log.info("Run {}: not claimed by {}: {}", runId, workerId, refused.getMessage());
            return;
        }
        log.info("Run {}: claimed by {}; training model '{}' ({}, {} epochs) on {} batch(es)", runId, workerId,
                request.model(), request.task(), request.hyperparameters().epochs(), request.inputs().size());
        Path dir = workDirectory.resolve(runId.value() + "-" + UUID.randomUUID());
        long begin = System.nanoTime();
        String outcome = "failed";
        try {
            Files.createDirectories(dir);
            TrainingData data = new TrainingData(request.features(), request.label(), request.task(),
                    request.columns());
            for (BatchInput input : request.inputs()) {
                Path local = dir.resolve(input.batch().batchId().value() + ".csv");
                store.fetchVerified(new ArtifactRef(input.location(), input.sha256(), 0), local);
                try (Reader reader = Files.newBufferedReader(local, StandardCharsets.UTF_8)) {
                    data.addCsv(reader, input.location());
                }
                Files.delete(local);
            }
            log.info("Run {}: {} rows read and verified", runId, data.size());
            int epochs = request.hyperparameters().epochs();
            MlpTrainer.Result result = new MlpTrainer().train(data, request.hyperparameters(),
                    new MlpTrainer.RunInfo(request.model().value(), runId.value(), request.label(), request.seed()),
                    (epoch, trainLoss, validationLoss, metrics) -> {
                        log.info("Run {}: epoch {}/{} train loss {} validation loss {} {}", runId, epoch, epochs,
                                fmt(trainLoss), fmt(validationLoss), metrics);
                        commands.send(new RecordTrainingEpoch(runId, workerId, epoch, finite(trainLoss),
                                finite(validationLoss), finiteValues(metrics), clock.instant(), lease), actor,
                                correlationId);
                        meters.counter("annals.training.epochs", "model", request.model().value()).increment();
                    }, dir);
            String sha256 = Sha256.of(result.artifact());
            ArtifactRef artifact = store.putOnce("models/" + request.model() + "/runs/" + runId + "/"
                    + UUID.randomUUID() + ".zip", result.artifact(), sha256);
            commands.send(new CompleteTrainingRun(runId, workerId, artifact, finiteValues(result.metrics()),
                    result.baseline(), result.environment(), result.profile()), actor, correlationId);
            outcome = "completed";
            log.info("Run {}: completed with {}; artifact {}", runId, result.metrics(), artifact.location());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("Run {}: failed: {}", runId, reason);
            log.debug("Run {}: failure detail", runId, e);
            try {
                commands.send(new FailTrainingRun(runId, workerId, reason), actor, correlationId);
            } catch (RuntimeException refused) {
                log.error("Run {}: could not record the failure ({}); its lease will run out and it will be "
                        + "retried", runId, refused.getMessage());
            }
        } finally {
            Timer.builder("annals.training.runs").description("Training runs executed here, by model and outcome")
                    .tags("model", request.model().value(), "outcome", outcome).register(meters)
                    .record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
            try {
                WorkDirectories.deleteTree(dir);
            } catch (IOException e) {
                log.warn("could not delete {}", dir);
            }
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }

    private static Map<String, Double> finiteValues(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    /** True while this worker trains a run (set as soon as a step decides to start one). */
    boolean training() {
        return busy.get();
    }

    public void wakeup() {
        events.wakeup();
    }

    @Override
    public void close() {
        trainer.shutdownNow();
        events.close();
    }
}
