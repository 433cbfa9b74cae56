package io.annals.workers.serving;

import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors requests to shadow versions off the request thread: the shadow predicts the same rows (its features picked
 * from the answering version's by name), and each of its scores is logged to {@code annals.scores} marked shadow,
 * beside the answer it shadows. The caller never waits for a shadow. When the mirror queue is full (the shadow is
 * slower than the traffic), a mirrored request is skipped and counted; a shadow that fails is counted and logged.
 */
public final class ShadowTraffic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShadowTraffic.class);

    /** One request to mirror: the answering version's rows and predictions, and the shadow to ask. */
    public record Mirrored(String requestId, Inference.Chosen answered, ServingRegistry.Served shadow,
                           Object[][] rows, Predictions answers, String[] answeredClasses, Instant at) {
    }

    private final ScoreLog scores;
    private final ServingMetrics metrics;
    private final ThreadPoolExecutor executor;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public ShadowTraffic(ScoreLog scores, ServingMetrics metrics, int queueSize) {
        this.scores = scores;
        this.metrics = metrics;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(r, "annals-shadow");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queues a request for its shadow; never blocks. */
    public void mirror(Mirrored request) {
        try {
            executor.execute(() -> run(request));
        } catch (RejectedExecutionException full) {
            long n = skipped.incrementAndGet();
            metrics.shadowSkipped(request.answered().endpoint());
            if (Long.bitCount(n) == 1) {
                log.warn("Skipped {} mirrored request(s) so far: the shadow queue is full (the shadow of endpoint {} "
                        + "is slower than its traffic)", n, request.answered().endpoint());
            }
        }
    }

    private void run(Mirrored request) {
        ServedModel shadow = request.shadow().model();
        ModelMetadata answeredBy = request.answered().metadata();
        String endpoint = request.answered().endpoint();
        try {
            Object[][] rows = reorder(request.rows(), answeredBy.features(), shadow.metadata().features());
            long begin = System.nanoTime();
            Predictions predicted = shadow.predict(rows);
            metrics.shadowPredicted(endpoint, request.shadow().target(), System.nanoTime() - begin);
            List<String> classes = shadow.metadata().task() == Task.MULTICLASS_CLASSIFICATION
                    ? shadow.metadata().classes() : null;
            var answered = request.answered().served().target();
            for (int i = 0; i < rows.length; i++) {
                scores.log(new ScoreRecord(request.requestId(), endpoint, request.shadow().target().model().value(),
                        request.shadow().target().version(), request.answered().revision(), predicted.scores()[i],
                        request.at(), classes == null ? null : classes.get(predicted.predicted()[i]), true,
                        new ScoreRecord.Answered(answered.model().value(), answered.version(),
                                request.answers().scores()[i],
                                request.answeredClasses() == null ? null : request.answeredClasses()[i])));
            }
        } catch (Exception | LinkageError e) {
            long n = failed.incrementAndGet();
            metrics.shadowFailed(endpoint, request.shadow().target());
            if (Long.bitCount(n) == 1) {
                log.warn("Shadow model '{}' version {} of endpoint {} failed {} time(s) so far; the latest: {}",
                        request.shadow().target().model(), request.shadow().target().version(), endpoint, n,
                        e.toString());
            }
        }
    }

    /** The rows with the shadow's features, picked by name from the answering version's (a superset of them). */
    static Object[][] reorder(Object[][] rows, List<String> from, List<String> to) {
        if (from.equals(to)) {
            return rows;
        }
        int[] index = new int[to.size()];
        for (int j = 0; j < index.length; j++) {
            index[j] = from.indexOf(to.get(j));
            if (index[j] < 0) {
                throw new IllegalArgumentException("the shadow reads feature '" + to.get(j)
                        + "', which the answering version is not sent");
            }
        }
        Object[][] out = new Object[rows.length][index.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < index.length; j++) {
                out[i][j] = rows[i][index[j]];
            }
        }
        return out;
    }

    /** Mirrored requests skipped because the queue was full, and shadow predictions that failed. */
    public long skipped() {
        return skipped.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
