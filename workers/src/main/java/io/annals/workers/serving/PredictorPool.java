package io.annals.workers.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.annals.workers.training.Predictions;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A loaded DJL model with predictors of it, each used by one request at a time (a DJL predictor must not be used by
 * two threads at once). It starts with {@link Predictors#initial()} predictors and, when every one is busy, makes
 * another rather than make the request wait, up to {@link Predictors#max()}; past that a request waits for the first
 * one free. Waiting was the tail: on two cores a thread holding one of two predictors is often descheduled for a time slice, and every request
 * behind it waited that long (JFR showed waits of 10-30 ms). Predictors are taken most-recently-used first, so the
 * same few stay hot. Closing it closes every predictor, then the model.
 */
final class PredictorPool implements AutoCloseable {

    private final Model model;
    private final Supplier<Translator<Object[][], Predictions>> translators;
    /** One per predictor that may exist: a request holds one while it holds a predictor. */
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Predictor<Object[][], Predictions>> idle = new ConcurrentLinkedDeque<>();
    private final List<Predictor<Object[][], Predictions>> all = new CopyOnWriteArrayList<>();

    PredictorPool(Model model, Predictors size, Supplier<Translator<Object[][], Predictions>> translators) {
        this.model = model;
        this.translators = translators;
        this.permits = new Semaphore(size.max());
        for (int i = 0; i < size.initial(); i++) {
            idle.addFirst(create());
        }
    }

    private Predictor<Object[][], Predictions> create() {
        Predictor<Object[][], Predictions> predictor = model.newPredictor(translators.get());
        all.add(predictor);
        return predictor;
    }

    /**
     * Predicts with an idle predictor, or a new one when none is idle. Lock-free until the pool is at its maximum:
     * a permit is taken by compare-and-set, and predictors are kept in a concurrent deque. Holding a permit while
     * no predictor is idle means fewer than the maximum are busy, so one more may be made.
     */
    Predictions predict(Object[][] rows) throws TranslateException, InterruptedException {
        if (!permits.tryAcquire()) {
            permits.acquire();
        }
        try {
            Predictor<Object[][], Predictions> predictor = idle.pollFirst();
            if (predictor == null) {
                predictor = create();
            }
            try {
                return predictor.predict(rows);
            } finally {
                idle.addFirst(predictor);
            }
        } finally {
            permits.release();
        }
    }

    /** How many predictors exist (idle or busy). */
    int size() {
        return all.size();
    }

    @Override
    public void close() {
        all.forEach(Predictor::close);
        model.close();
    }
}
