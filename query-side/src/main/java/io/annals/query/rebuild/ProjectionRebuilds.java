package io.annals.query.rebuild;

import io.annals.command.api.common.DomainException;
import io.annals.query.audit.AuditProjection;
import io.annals.query.dataset.DatasetProjection;
import io.annals.query.drift.DriftAlertProjection;
import io.annals.query.elastic.Documents;
import io.annals.query.elastic.ReadModel;
import io.annals.query.elastic.ReplayMemory;
import io.annals.query.endpoint.EndpointProjection;
import io.annals.query.featureset.FeatureSetProjection;
import io.annals.query.model.ModelProjection;
import io.annals.query.trainingrun.TrainingRunProjection;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a read model from the event log without downtime: stop its processor, reset its token (its reset
 * handler starts a new index generation), replay the log into the new generation ({@link LogReplay}: one pass,
 * several lanes, outside the processor) while queries keep reading the old, complete one, then start the processor
 * again, which goes on from where the replay stopped (and replays whatever the replay left, if it failed). When the
 * replay has reached the head of the log it saw when it began (or, for a rebuild the replay left to the processor,
 * when the processor has caught up), the alias swaps to the new generation in one step and the old one is removed.
 * Progress (position, events per second, time left) is in
 * {@link #status()} and in the log every few seconds. Only projections can be rebuilt; the Kafka publisher and the
 * model-registration policy are not in the list, because replaying them would publish or register again.
 */
public final class ProjectionRebuilds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);

    public static final List<String> PROJECTIONS = List.of(AuditProjection.PROCESSING_GROUP,
            DatasetProjection.PROCESSING_GROUP, TrainingRunProjection.PROCESSING_GROUP,
            ModelProjection.PROCESSING_GROUP, EndpointProjection.PROCESSING_GROUP,
            DriftAlertProjection.PROCESSING_GROUP, FeatureSetProjection.PROCESSING_GROUP,
            io.annals.query.webhook.WebhookProjection.PROCESSING_GROUP,
            io.annals.query.pipeline.PipelineRunProjection.PROCESSING_GROUP);

    /** The read models (index aliases) each projection writes. */
    private static final Map<String, List<ReadModel<?>>> MODELS = Map.of(
            AuditProjection.PROCESSING_GROUP, List.of(AuditProjection.AUDIT),
            DatasetProjection.PROCESSING_GROUP, List.of(DatasetProjection.DATASETS, DatasetProjection.BATCHES),
            TrainingRunProjection.PROCESSING_GROUP, List.of(TrainingRunProjection.RUNS),
            ModelProjection.PROCESSING_GROUP, List.of(ModelProjection.MODELS, ModelProjection.VERSIONS),
            EndpointProjection.PROCESSING_GROUP, List.of(EndpointProjection.ENDPOINTS),
            DriftAlertProjection.PROCESSING_GROUP, List.of(DriftAlertProjection.ALERTS),
            FeatureSetProjection.PROCESSING_GROUP, List.of(FeatureSetProjection.FEATURE_SETS,
                    FeatureSetProjection.TRAINING_SETS),
            io.annals.query.webhook.WebhookProjection.PROCESSING_GROUP,
            List.of(io.annals.query.webhook.WebhookProjection.WEBHOOKS,
                    io.annals.query.webhook.WebhookProjection.DELIVERIES),
            io.annals.query.pipeline.PipelineRunProjection.PROCESSING_GROUP,
            List.of(io.annals.query.pipeline.PipelineRunProjection.RUNS,
                    io.annals.query.pipeline.PipelineRunProjection.PIPELINES));
    private static final long PROGRESS_LOG_NANOS = 5_000_000_000L;
    /** How often a rebuild this process runs is checked for having caught up (between the rounds of the watch). */
    private static final long SWAP_CHECK_MILLIS = 100;
    /**
     * How much of the documents it wrote each lane of a replay keeps in memory, as JSON (see {@link ReplayMemory});
     * two to three times as much of the heap: up to about 50 MB a lane, 200 MB for a rebuild of four lanes, released
     * when the replay ends (8 MB a lane was too little for the benchmark's run projection, whose registrations all
     * come at the end of its history: its replay fell from 30,000 to 25,000 events/s).
     */
    private static final long REPLAY_MEMORY_BYTES = 16L << 20;

    private final EventProcessingConfiguration processing;
    private final Documents documents;
    private final StreamableMessageSource<?> eventLog;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    /** Projections to rebuild as soon as their processor runs: a read model of theirs is new or was deleted. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** Pending rebuilds already reported as waiting for another process's segments. */
    private final Set<String> postponed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService monitor;
    private final RebuildRequests requests;
    private final TokenStore tokens;
    private final Duration handover;
    private final TransactionManager transactions;
    private final int replayLanes;
    private final int replayBatchSize;
    /** The replays this process runs now, by projection (its processor is stopped meanwhile). */
    private final Map<String, LogReplay> replays = new ConcurrentHashMap<>();
    private final Set<Thread> replayThreads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** This process, as its rebuild requests name it. */
    private final String node;
    /** Projections whose processor this process stopped because another query process is rebuilding them. */
    private final Set<String> pausedForOthers = ConcurrentHashMap.newKeySet();

    /** How a rebuild is going: where it started, the latest sample of its position, and its rate. */
    private static final class Progress {
        final long startNanos = System.nanoTime();
        long sampleNanos = startNanos;
        long samplePosition = -1;
        long loggedNanos = startNanos;
        double eventsPerSecond;
        Long secondsLeft;
    }

    public ProjectionRebuilds(EventProcessingConfiguration processing, Documents documents,
                              StreamableMessageSource<?> eventLog, TokenStore tokens, TransactionManager transactions,
                              RebuildRequests requests, RebuildSettings settings, String node) {
        this.processing = processing;
        this.documents = documents;
        this.eventLog = eventLog;
        this.tokens = tokens;
        this.transactions = transactions;
        this.requests = requests;
        this.handover = settings.handover();
        this.replayLanes = settings.replayLanes();
        this.replayBatchSize = settings.replayBatchSize();
        this.node = node;
        prepareReadModels(tokens);
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annals-rebuild-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        monitor.scheduleWithFixedDelay(this::swapCaughtUp, SWAP_CHECK_MILLIS, SWAP_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * The state of an event processor: running, replaying, the lowest log position its segments have reached, and,
     * while a segment is stopped at an event it cannot handle, that error (it retries by itself). For a projection,
     * whether a rebuild is filling a new generation, its rate and the time it has left.
     */
    public record ProcessorStatus(String name, boolean running, boolean replaying, Long position, String error,
                                  Boolean rebuilding, Double eventsPerSecond, Long secondsLeft) {

        ProcessorStatus withRebuild(boolean rebuilding, Double eventsPerSecond, Long secondsLeft) {
            return new ProcessorStatus(name, running, replaying, position, error, rebuilding, eventsPerSecond,
                    secondsLeft);
        }
    }

    /** The read models of a projection that a rebuild is filling now, by alias. */
    private List<String> rebuilding(String projection) {
        return MODELS.get(projection).stream().map(ReadModel::alias).filter(documents::rebuilding).toList();
    }

    /**
     * Before the projections start: a read model whose alias does not exist although its projection has run before
     * (a new version of the read model, {@code annals-runs-v2} after {@code -v1}, or an index deleted by hand) is
     * rebuilt from the log as soon as its projection runs; every other read model is created now, so that queries
     * find it empty rather than missing. Elasticsearch being unreachable only postpones this to the first write.
     */
    private void prepareReadModels(TokenStore tokens) {
        for (String projection : PROJECTIONS) {
            try {
                boolean ranBefore = tokens.fetchSegments(projection).length > 0;
                List<ReadModel<?>> missing = MODELS.get(projection).stream().filter(m -> !documents.exists(m))
                        .toList();
                if (ranBefore && !missing.isEmpty()) {
                    log.info("Read model(s) {} of projection {} do not exist, though the projection has read the "
                            + "log before: it will be rebuilt from the log", missing.stream()
                            .map(ReadModel::alias).toList(), projection);
                    pending.add(projection);
                } else {
                    missing.forEach(documents::ensureIndex);
                }
            } catch (RuntimeException e) {
                log.warn("Could not check the read models of {} at start ({}); they are created on first use",
                        projection, e.toString());
            }
        }
    }

    /**
     * Replays the projection into a new index generation. A reset needs every segment of the projection, so the
     * other query processes are asked to let go of theirs (a rebuild request they read every second, see
     * {@link RebuildRequests}); this waits for them up to the handover time. When they do not let go, or another
     * process is rebuilding the projection already, nothing is reset, this process's processor goes on as before,
     * and the caller is told ({@code CONFLICT}).
     */
    public void rebuild(String projection) {
        StreamingEventProcessor processor = processor(projection);
        LogReplay running = replays.get(projection);
        if (running != null) {
            throw DomainException.conflict("projection " + projection + " is being rebuilt by this process already "
                    + "(replaying the log, at position " + running.position() + ")");
        }
        int segments = tokens.fetchSegments(projection).length;
        if (processor.maxCapacity() < segments) {
            throw DomainException.conflict("projection " + projection + " has " + segments + " segments and this "
                    + "process runs " + processor.maxCapacity() + " thread(s) for it; a rebuild replays every segment "
                    + "here: ask a process with thread-count >= " + segments);
        }
        RebuildRequests.Request other = requests.open(projection, node);
        if (other != null) {
            throw DomainException.conflict("projection " + projection + " is being rebuilt by another query "
                    + "process (" + other.requestedBy() + ", asked at " + other.requestedAt() + ")");
        }
        long stopping = System.nanoTime();
        stop(projection, processor);
        long stopped = System.nanoTime();
        pausedForOthers.remove(projection);
        long deadline = System.nanoTime() + handover.toNanos();
        boolean waited = false;
        while (true) {
            try {
                processor.resetTokens();
                break;
            } catch (UnableToClaimTokenException heldElsewhere) {
                if (System.nanoTime() > deadline) {
                    requests.close(projection, node);
                    processor.start();
                    throw DomainException.conflict("projection " + projection + " also runs in another process, "
                            + "which did not let go of its segments within " + handover.toSeconds() + " s (a process "
                            + "of an older version, or one that cannot reach the database); a rebuild needs all of "
                            + "them, so nothing was reset (" + heldElsewhere.getMessage() + ")");
                }
                if (!waited) {
                    waited = true;
                    log.info("Rebuild of {}: waiting for the other query processes to let go of its segments",
                            projection);
                }
                requests.open(projection, node);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        log.info("Rebuilding projection {}: the event log is replayed into a new index generation; queries read "
                + "the current one until it has caught up (processor stopped in {} ms, reset in {} ms)", projection,
                (stopped - stopping) / 1_000_000, (System.nanoTime() - stopped) / 1_000_000);
        progress.put(projection, new Progress());
        replayThenStart(projection, processor);
    }

    /**
     * Replays the log into the projection on a thread of its own ({@link LogReplay}), then starts its processor, which
     * goes on from where the replay stopped: live when it got to the head, replaying the rest when it failed. Not when
     * the process is stopping: the tokens stored say where the replay was, and the processor, here after a restart or
     * in the query process that takes the rebuild over, resumes from there.
     */
    private void replayThenStart(String projection, StreamingEventProcessor processor) {
        if (!(processor instanceof AbstractEventProcessor axon)) {
            processor.start();
            return;
        }
        LogReplay replay = new LogReplay(projection, axon.eventHandlerInvoker(), eventLog, tokens, transactions,
                replayLanes, replayBatchSize, fromTheStart -> Map.of(ReplayMemory.RESOURCE,
                new ReplayMemory(fromTheStart, REPLAY_MEMORY_BYTES)));
        replays.put(projection, replay);
        Thread thread = new Thread(() -> {
            try {
                LogReplay.Outcome outcome = replay(projection, replay);
                if (!closed) {
                    startAgain(projection, processor);
                    if (outcome == LogReplay.Outcome.DONE) {
                        swapInReplayed(projection, replay);
                    }
                }
            } finally {
                replays.remove(projection);
                replayThreads.remove(Thread.currentThread());
            }
        }, "annals-replay[" + projection + "]");
        thread.setDaemon(true);
        replayThreads.add(thread);
        thread.start();
    }

    /**
     * Stops a projection's processor without waiting out its threads' wait for events: a thread of Axon's tracking
     * processor waits up to a second for the next event and looks at its processor's state only then, which was most
     * of the time a rebuild took to begin. Once the processor no longer runs, each of its threads that is only waiting
     * for events is interrupted (as Axon interrupts a thread that is slow to stop), and lets go of its segment at once;
     * a thread busy with a batch finishes it.
     */
    static void stop(String projection, StreamingEventProcessor processor) {
        CompletableFuture<Void> stopping = processor.shutdownAsync();
        if (!processor.isRunning()) {
            // Axon's thread factory names a processor's threads "EventProcessor[<name>]-<n>"
            String threads = "EventProcessor[" + projection + "]-";
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith(threads) && waitingForEvents(thread, stack)) {
                    thread.interrupt();
                }
            });
        }
        stopping.join();
    }

    /** Whether a processor's thread is only waiting for the next event (not handling a batch). */
    static boolean waitingForEvents(Thread thread, StackTraceElement[] stack) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getMethodName().equals("hasNextAvailable")) {
                return true;
            }
            if (frame.getClassName().startsWith("io.annals.")) {
                return false;
            }
        }
        return false;
    }

    private static void startAgain(String projection, StreamingEventProcessor processor) {
        try {
            processor.start();
        } catch (RuntimeException e) {
            log.error("Rebuild of {}: its processor could not be started again after the replay; it stays stopped "
                    + "until this process restarts or the projection is rebuilt again", projection, e);
        }
    }

    private LogReplay.Outcome replay(String projection, LogReplay replay) {
        long begin = System.nanoTime();
        LogReplay.Outcome outcome;
        try {
            outcome = replay.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = LogReplay.Outcome.CANCELLED;
        } catch (RuntimeException e) {
            log.warn("Rebuild of {}: the replay could not start or store its position ({}); the projection's "
                    + "processor replays the log itself", projection, describe(e));
            return LogReplay.Outcome.FAILED;
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        switch (outcome) {
            case DONE -> log.info("Rebuild of {}: replayed {} events up to position {} in {} s ({} events/s, {} "
                            + "lane(s)); its processor goes on from there", projection, replay.events(),
                    replay.position(), String.format("%.1f", seconds),
                    String.format("%.0f", replay.events() / Math.max(seconds, 0.001)), replayLanes);
            case FAILED -> log.warn("Rebuild of {}: the replay stopped at position {} ({}); the projection's processor "
                    + "replays the rest and retries what failed", projection, replay.position(),
                    describe(replay.failure()));
            case CANCELLED -> log.info("Rebuild of {}: the replay stopped at position {} as this process stops; the "
                    + "processor resumes from there", projection, replay.position());
            case SKIPPED -> log.info("Rebuild of {}: its segments are at different positions, so its processor "
                    + "replays the log itself", projection);
        }
        return outcome;
    }

    /**
     * Swaps in the generations a replay filled up to the head of the log as it was when the replay started, at once
     * rather than when the processor has caught up: the generations queries read stopped changing when the rebuild
     * stopped the processor, so the new ones already hold at least as much; what was appended since the replay
     * started, the processor (started again just before) writes through the alias to the new ones. If the swap fails,
     * it is left to the watch, which swaps them in when the processor has caught up.
     */
    private void swapInReplayed(String projection, LogReplay replay) {
        try {
            List<String> rebuilding = rebuilding(projection);
            rebuilding.forEach(documents::promote);
            finished(projection, replay.position());
        } catch (RuntimeException e) {
            log.warn("Rebuild of {}: could not swap the rebuilt read models in yet ({}); they are swapped in when its "
                    + "processor has caught up", projection, describe(e));
        }
    }

    /** Swaps in every rebuilt read model whose replay has caught up, and logs the progress of the others. */
    private void watch() {
        Map<String, RebuildRequests.Request> live;
        try {
            live = requests.live();
        } catch (RuntimeException e) {
            log.warn("Could not read the projection rebuild requests; trying again: {}", e.getMessage());
            return;
        }
        for (String projection : PROJECTIONS) {
            try {
                StreamingEventProcessor processor = processing.eventProcessor(projection,
                        StreamingEventProcessor.class).orElse(null);
                if (processor == null || coordinate(projection, processor, live.get(projection))) {
                    continue;
                }
                LogReplay replay = replays.get(projection);
                if (replay != null) {
                    // its processor is stopped while the replay runs: the request is kept alive here
                    requests.open(projection, node);
                    Progress p = progress.computeIfAbsent(projection, k -> new Progress());
                    sample(p, replay.position());
                    logProgress(projection, p);
                    continue;
                }
                if (pending.contains(projection)) {
                    if (processor.isRunning()) {
                        try {
                            rebuild(projection);
                            pending.remove(projection);
                        } catch (DomainException heldElsewhere) {
                            // tried again on the next round, when the other process may have let go
                            if (postponed.add(projection)) {
                                log.warn("Rebuild of {} postponed: {}", projection, heldElsewhere.getMessage());
                            }
                        }
                    }
                    continue;
                }
                List<String> rebuilding = rebuilding(projection);
                if (rebuilding.isEmpty() || !processor.isRunning()) {
                    continue;
                }
                // this process rebuilds it: its request stays alive (or is opened again after a restart, so that
                // the other query processes let go of their segments)
                if (requests.open(projection, node) != null) {
                    continue;
                }
                Progress p = progress.computeIfAbsent(projection, k -> new Progress());
                sample(p, lowestPosition(processor));
                if (!finishIfCaughtUp(projection, processor, rebuilding)) {
                    logProgress(projection, p);
                }
            } catch (RuntimeException e) {
                log.warn("Watching the rebuild of {} failed; trying again: {}", projection, e.toString());
            }
        }
    }

    private void logProgress(String projection, Progress p) {
        if (System.nanoTime() - p.loggedNanos >= PROGRESS_LOG_NANOS) {
            p.loggedNanos = System.nanoTime();
            log.info("Rebuilding projection {}: position {} of {}, {} events/s, about {} s left", projection,
                    p.samplePosition, head(), String.format("%.0f", p.eventsPerSecond),
                    p.secondsLeft == null ? "?" : p.secondsLeft);
        }
    }

    /**
     * Between the rounds of {@link #watch}: the rebuilds this process runs are swapped in as soon as they have caught
     * up, instead of up to a round later (a second, a tenth of a rebuild of 200,000 events). It reads only this
     * process's processors; keeping the rebuild requests alive and stepping aside for other processes stay in
     * {@link #watch}, which runs on the same thread.
     */
    private void swapCaughtUp() {
        for (String projection : progress.keySet()) {
            try {
                StreamingEventProcessor processor = processing.eventProcessor(projection,
                        StreamingEventProcessor.class).orElse(null);
                List<String> rebuilding = rebuilding(projection);
                if (processor != null && processor.isRunning() && !rebuilding.isEmpty()
                        && !pausedForOthers.contains(projection) && !pending.contains(projection)
                        && !replays.containsKey(projection)) {
                    finishIfCaughtUp(projection, processor, rebuilding);
                }
            } catch (RuntimeException e) {
                log.warn("Checking whether the rebuild of {} has caught up failed; trying again: {}", projection,
                        e.toString());
            }
        }
    }

    /**
     * When every segment of the projection has left its replay without an error, points the read models' aliases at
     * the rebuilt generations and closes the rebuild request.
     *
     * @return true when it swapped them in
     */
    private boolean finishIfCaughtUp(String projection, StreamingEventProcessor processor, List<String> rebuilding) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        if (processor.isReplaying() || segments.isEmpty()
                || segments.values().stream().anyMatch(EventTrackerStatus::isErrorState)
                || segments.size() != tokens.fetchSegments(projection).length) {
            return false;
        }
        rebuilding.forEach(documents::promote);
        finished(projection, lowestPosition(processor));
        return true;
    }

    /** Closes the rebuild request of a projection whose rebuilt read models are swapped in, and says so. */
    private void finished(String projection, long position) {
        requests.close(projection, node);
        Progress p = progress.remove(projection);
        if (p != null) {
            sample(p, position);
            double seconds = (System.nanoTime() - p.startNanos) / 1e9;
            log.info("Rebuilt projection {} in {} s (up to position {}, {} events/s)", projection,
                    String.format("%.1f", seconds), p.samplePosition,
                    String.format("%.0f", p.samplePosition / Math.max(seconds, 0.001)));
        }
    }

    /**
     * Steps aside while another query process rebuilds the projection (its processor stopped, so its segments are
     * free), and starts again when that rebuild is over, reading the read model's generations anew; when the process
     * rebuilding it stopped beating, takes the rebuild over where it was.
     *
     * @return true when this process leaves the projection alone this round
     */
    private boolean coordinate(String projection, StreamingEventProcessor processor, RebuildRequests.Request request) {
        if (request != null && !request.requestedBy().equals(node)) {
            pending.remove(projection);
            postponed.remove(projection);
            if (pausedForOthers.add(projection)) {
                stop(projection, processor);
                log.info("Projection {} stopped here while query process {} rebuilds it", projection,
                        request.requestedBy());
            }
            return true;
        }
        if (!pausedForOthers.contains(projection)) {
            return false;
        }
        if (request == null && requests.exists(projection)) {
            if (!requests.takeOverStale(projection, node)) {
                return true;
            }
            log.info("Projection {}: the process rebuilding it stopped; this process takes the rebuild over",
                    projection);
            progress.put(projection, new Progress());
            pausedForOthers.remove(projection);
            MODELS.get(projection).forEach(documents::reload);
            replayThenStart(projection, processor);
            return true;
        }
        log.info("Projection {} starts again here: the rebuild by another query process is over", projection);
        pausedForOthers.remove(projection);
        MODELS.get(projection).forEach(documents::reload);
        processor.start();
        return true;
    }

    private void sample(Progress p, long position) {
        long now = System.nanoTime();
        if (p.samplePosition >= 0 && position > p.samplePosition) {
            double rate = (position - p.samplePosition) / ((now - p.sampleNanos) / 1e9);
            p.eventsPerSecond = p.eventsPerSecond == 0 ? rate : 0.7 * p.eventsPerSecond + 0.3 * rate;
        }
        p.samplePosition = position;
        p.sampleNanos = now;
        long head = head();
        p.secondsLeft = p.eventsPerSecond > 0 && head >= 0
                ? Math.round(Math.max(0, head - position) / p.eventsPerSecond) : null;
    }

    private long head() {
        TrackingToken head = eventLog.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    private static long lowestPosition(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).min().orElse(-1);
    }

    /** A name for this process in the rebuild requests: its process id and host, and a random suffix. */
    public static String processNode() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This process's name in the rebuild requests. */
    public String node() {
        return node;
    }

    /** Stops watching; a rebuild this process was running is left to another query process at once. */
    @Override
    public void close() {
        closed = true;
        monitor.shutdownNow();
        replays.values().forEach(LogReplay::cancel);
        for (Thread replay : replayThreads) {
            try {
                // it stores where it got to and lets go of the segments
                replay.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (String projection : PROJECTIONS) {
            if (!rebuilding(projection).isEmpty()) {
                try {
                    requests.close(projection, node);
                } catch (RuntimeException e) {
                    log.info("Could not close the rebuild request of {} ({}); it goes stale instead", projection,
                            e.getMessage());
                }
            }
        }
    }

    /** Each projection: whether it is replaying or rebuilding, the log position it has reached, its error if stuck. */
    public List<ProcessorStatus> status() {
        return PROJECTIONS.stream().map(name -> {
            // stopped here while another query process rebuilds it: rebuilding, as far as a reader can tell
            boolean rebuilding = !rebuilding(name).isEmpty() || pausedForOthers.contains(name);
            Progress p = rebuilding ? progress.get(name) : null;
            LogReplay replay = replays.get(name);
            // while a replay runs, the processor is stopped: the replay is its progress
            ProcessorStatus status = replay == null ? status(name, processor(name))
                    : new ProcessorStatus(name, true, true, replay.position() < 0 ? null : replay.position(), null,
                    null, null, null);
            return status.withRebuild(rebuilding, p == null ? null : p.eventsPerSecond,
                    p == null ? null : p.secondsLeft);
        }).toList();
    }

    /** The state of any streaming processor (the publisher, the policies, the projections). */
    public static ProcessorStatus status(String name, StreamingEventProcessor processor) {
        long position = lowestPosition(processor);
        String error = processor.processingStatus().values().stream()
                .filter(EventTrackerStatus::isErrorState).map(EventTrackerStatus::getError)
                .filter(Objects::nonNull).map(ProjectionRebuilds::describe).findFirst().orElse(null);
        return new ProcessorStatus(name, processor.isRunning(), processor.isReplaying(),
                position < 0 ? null : position, error, null, null, null);
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        return root == error ? text : text + " (cause: " + root.getClass().getSimpleName() + ": "
                + root.getMessage() + ")";
    }

    private StreamingEventProcessor processor(String projection) {
        if (!PROJECTIONS.contains(projection)) {
            throw new IllegalArgumentException("'" + projection + "' is not a projection; projections: "
                    + String.join(", ", PROJECTIONS));
        }
        return processing.eventProcessor(projection, StreamingEventProcessor.class).orElseThrow(() ->
                new IllegalStateException("projection " + projection + " does not run in this process"));
    }
}
