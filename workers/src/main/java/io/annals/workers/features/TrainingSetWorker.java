package io.annals.workers.features;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.dataset.IngestDatasetBatch;
import io.annals.command.api.dataset.RegisterDataset;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingset.ClaimTrainingSet;
import io.annals.command.api.trainingset.CompleteTrainingSet;
import io.annals.command.api.trainingset.FailTrainingSet;
import io.annals.command.api.trainingset.RecordTrainingSetProgress;
import io.annals.command.api.trainingset.ReleaseExpiredTrainingSetLease;
import io.annals.command.api.trainingset.TrainingSetClaimed;
import io.annals.command.api.trainingset.TrainingSetFailed;
import io.annals.command.api.trainingset.TrainingSetId;
import io.annals.command.api.trainingset.TrainingSetLeaseExpired;
import io.annals.command.api.trainingset.TrainingSetMaterialized;
import io.annals.command.api.trainingset.TrainingSetOutput;
import io.annals.command.api.trainingset.TrainingSetProgressed;
import io.annals.command.api.trainingset.TrainingSetRequested;
import io.annals.workers.events.EventEnvelope;
import io.annals.workers.events.EventSource;
import io.annals.workers.events.RetainedEvents;
import io.annals.workers.port.CommandPort;
import io.annals.workers.port.DatasetSchemas;
import io.annals.workers.storage.ArtifactStore;
import io.annals.workers.storage.Sha256;
import io.annals.workers.storage.WorkDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materialises training sets: follows the log for requested jobs, claims one at a time under a lease, downloads and
 * verifies the pinned source and label batches, runs the {@link PointInTimeJoin}, stores the result write-once, records
 * it as a batch of the output dataset (registering that dataset on first use) and completes the job. Progress is an
 * event every few seconds, and renews the lease; a job whose holder's lease runs out is released for another worker.
 * Every outcome ends in an event: completed, or failed with the reason.
 */
public final class TrainingSetWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingSetWorker.class);
    private static final Duration LEASE_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(3);

    private final String workerId;
    private final Actor actor;
    private final EventSource events;
    private final CommandPort commands;
    private final DatasetSchemas datasets;
    private final ArtifactStore store;
    private final Path workDirectory;
    private final Duration lease;
    private final int rowsInMemory;
    private final Clock clock;
    private final ExecutorService runner;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Map<TrainingSetId, OpenJob> open = new LinkedHashMap<>();
    private final RetainedEvents retained = new RetainedEvents();
    private Instant nextLeaseCheck = Instant.MIN;

    private static final class OpenJob {
        final TrainingSetRequested request;
        final String correlationId;
        String holder;
        Instant leaseExpiresAt;

        OpenJob(TrainingSetRequested request, String correlationId) {
            this.request = request;
            this.correlationId = correlationId;
        }
    }

    /** @param rowsInMemory rows each of the join's sorts holds before it spills to disk */
    public TrainingSetWorker(String workerId, EventSource events, CommandPort commands, DatasetSchemas datasets,
                             ArtifactStore store, Path workDirectory, Duration lease, int rowsInMemory, Clock clock) {
        this.workerId = workerId;
        this.actor = Actor.service("training-set-worker/" + workerId);
        this.events = events;
        this.commands = commands;
        this.datasets = datasets;
        this.store = store;
        this.workDirectory = workDirectory;
        this.lease = lease;
        this.rowsInMemory = rowsInMemory;
        this.clock = clock;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "annals-training-set-" + workerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** One polling step: apply new events, then start a job if idle, then check leases. */
    public void step() {
        for (EventEnvelope e : events.poll(Duration.ofMillis(200))) {
            apply(e);
        }
        events.offerSnapshot(retained::events);
        if (!events.caughtUp()) {
            return;
        }
        startNext();
        releaseExpiredLeases();
    }

    private synchronized void apply(EventEnvelope e) {
        Object event = e.payload();
        if (event instanceof TrainingSetRequested r) {
            open.put(r.id(), new OpenJob(r, e.correlationId()));
            retained.add(job(r.id()), e);
        } else if (event instanceof TrainingSetClaimed c) {
            withJob(c.id(), job -> {
                job.holder = c.workerId();
                job.leaseExpiresAt = c.leaseExpiresAt();
            });
            retained.replaceType(job(c.id()), e);
        } else if (event instanceof TrainingSetProgressed p) {
            withJob(p.id(), job -> job.leaseExpiresAt = p.leaseExpiresAt());
            retained.replaceType(job(p.id()), e);
        } else if (event instanceof TrainingSetLeaseExpired x) {
            withJob(x.id(), job -> {
                job.holder = null;
                job.leaseExpiresAt = null;
            });
            retained.replaceType(job(x.id()), e);
        } else if (event instanceof TrainingSetMaterialized m) {
            open.remove(m.id());
            retained.remove(job(m.id()));
        } else if (event instanceof TrainingSetFailed f) {
            open.remove(f.id());
            retained.remove(job(f.id()));
        }
    }

    private static String job(TrainingSetId id) {
        return "training-set:" + id.value();
    }

    /** The events the open jobs rest on, for this worker's snapshots. */
    List<EventEnvelope> retained() {
        return retained.events();
    }

    private void withJob(TrainingSetId id, Consumer<OpenJob> change) {
        OpenJob job = open.get(id);
        if (job != null) {
            change.accept(job);
        }
    }

    private void startNext() {
        if (busy.get()) {
            return;
        }
        OpenJob next;
        synchronized (this) {
            next = open.values().stream().filter(j -> j.holder == null).findFirst().orElse(null);
            if (next == null) {
                return;
            }
            // assume ours until the Claimed event says otherwise, so this step does not pick it again
            next.holder = workerId;
            next.leaseExpiresAt = clock.instant().plus(lease);
        }
        busy.set(true);
        OpenJob job = next;
        runner.execute(() -> {
            try {
                execute(job.request, job.correlationId);
            } finally {
                busy.set(false);
            }
        });
    }

    private void releaseExpiredLeases() {
        Instant now = clock.instant();
        if (now.isBefore(nextLeaseCheck)) {
            return;
        }
        nextLeaseCheck = now.plus(LEASE_CHECK_INTERVAL);
        Map<TrainingSetId, OpenJob> expired = new LinkedHashMap<>();
        synchronized (this) {
            open.forEach((id, job) -> {
                if (job.holder != null && job.leaseExpiresAt != null && !now.isBefore(job.leaseExpiresAt)) {
                    expired.put(id, job);
                }
            });
        }
        expired.forEach((id, job) -> {
            try {
                commands.send(new ReleaseExpiredTrainingSetLease(id, now), actor, job.correlationId);
                log.warn("Training set {}: lease of {} ran out at {}; released for another attempt", id, job.holder,
                        job.leaseExpiresAt);
            } catch (RuntimeException refused) {
                log.debug("Training set {}: lease not released: {}", id, refused.getMessage());
            }
        });
    }

    /** Claims and materialises one training set; every outcome ends in an event. */
    void execute(TrainingSetRequested request, String correlationId) {
        TrainingSetId id = request.id();
        try {
            commands.send(new ClaimTrainingSet(id, workerId, clock.instant(), lease), actor, correlationId);
        } catch (RuntimeException refused) {
            log.info("Training set {}: not claimed by {}: {}", id, workerId, refused.getMessage());
            return;
        }
        log.info("Training set {}: claimed by {}; feature set '{}' version {} over {} source and {} label batch(es)",
                id, workerId, request.featureSet(), request.version(), request.sources().size(),
                request.labelBatches().size());
        Path dir = workDirectory.resolve(id.value() + "-" + UUID.randomUUID());
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dir);
            Reporter progress = new Reporter(id, correlationId);
            List<Path> sources = download(request.sources(), dir, "source", progress);
            List<Path> labels = download(request.labelBatches(), dir, "label", progress);
            JoinSpec spec = new JoinSpec(request.sourceSchema(), request.definition().entityKeys(),
                    request.definition().timestampColumn(), request.definition().features(), request.labelSchema(),
                    request.labels().entityKeys(), request.labels().timestampColumn(), request.labels().labelColumn(),
                    request.outputSchema());
            Path output = dir.resolve("training-set.csv");
            PointInTimeJoin.Output result = new PointInTimeJoin(spec, dir, rowsInMemory, progress)
                    .run(sources, labels, output);
            String sha256 = Sha256.of(output);
            BatchId batchId = BatchId.of(id.value());
            ArtifactRef stored = store.putOnce("datasets/" + request.output() + "/batches/" + batchId + ".csv",
                    output, sha256);
            ensureDataset(request, correlationId);
            commands.send(new IngestDatasetBatch(request.output(), batchId, "training-set-" + id, stored.location(),
                    sha256, result.rows(), stored.sizeBytes(), result.statistics()), actor, correlationId);
            commands.send(new CompleteTrainingSet(id, workerId, new TrainingSetOutput(request.output(), batchId,
                    stored.location(), sha256, result.rows(), stored.sizeBytes())), actor, correlationId);
            log.info("Training set {}: completed, {} rows in {} ms, batch {} of dataset '{}'", id, result.rows(),
                    (System.nanoTime() - begin) / 1_000_000, batchId, request.output());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("Training set {}: failed: {}", id, reason);
            log.debug("Training set {}: failure detail", id, e);
            try {
                commands.send(new FailTrainingSet(id, workerId, reason), actor, correlationId);
            } catch (RuntimeException refused) {
                log.error("Training set {}: could not record the failure ({}); its lease will run out and it will be "
                        + "retried", id, refused.getMessage());
            }
        } finally {
            try {
                WorkDirectories.deleteTree(dir);
            } catch (IOException e) {
                log.warn("could not delete {}", dir);
            }
        }
    }

    private List<Path> download(List<BatchInput> batches, Path dir, String kind, Reporter progress) {
        List<Path> files = new ArrayList<>();
        for (BatchInput input : batches) {
            Path local = dir.resolve(kind + "-" + files.size() + ".csv");
            store.fetchVerified(new ArtifactRef(input.location(), input.sha256(), 0), local);
            files.add(local);
            progress.report("downloading " + kind + " batches", files.size(), batches.size());
        }
        return files;
    }

    /** The output dataset, registered with the training set's columns on first use. */
    private void ensureDataset(TrainingSetRequested request, String correlationId) {
        Optional<DatasetSchema> existing = datasets.schema(request.output());
        if (existing.isEmpty()) {
            try {
                commands.send(new RegisterDataset(request.output(), request.outputSchema(), "training sets of "
                        + "feature set '" + request.featureSet() + "' (point-in-time correct)"), actor, correlationId);
                return;
            } catch (RuntimeException raced) {
                existing = datasets.schema(request.output()); // registered meanwhile, by another job
                if (existing.isEmpty()) {
                    throw raced;
                }
            }
        }
        if (!existing.get().equals(request.outputSchema())) {
            throw new IllegalStateException("dataset '" + request.output() + "' was registered with other columns "
                    + existing.get().columns() + " after this training set was requested");
        }
    }

    /** Records progress at most every few seconds; each record renews the lease. */
    private final class Reporter implements PointInTimeJoin.Progress {
        private final TrainingSetId id;
        private final String correlationId;
        private Instant next = Instant.MIN;

        Reporter(TrainingSetId id, String correlationId) {
            this.id = id;
            this.correlationId = correlationId;
        }

        @Override
        public void report(String phase, long done, long total) {
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                return;
            }
            next = now.plus(PROGRESS_INTERVAL);
            log.info("Training set {}: {} {}{}", id, phase, done, total > 0 ? " of " + total : "");
            commands.send(new RecordTrainingSetProgress(id, workerId, phase, done, total, now, lease), actor,
                    correlationId);
        }
    }

    boolean working() {
        return busy.get();
    }

    public void wakeup() {
        events.wakeup();
    }

    @Override
    public void close() {
        runner.shutdownNow();
        events.close();
    }
}
