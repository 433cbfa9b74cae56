package io.annals.workers.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.annals.workers.training.Predictions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A loaded DJL model with predictors of it, each used by one request at a time (a DJL predictor must not be used by
 * two threads at once). It starts with {@link Predictors#initial()} predictors and, when every one is busy, makes
 * another rather than make the request wait, up to {@link Predictors#max()}; past that a request waits for the first one free. Waiting was the
 * tail: on two cores a thread holding one of two predictors is often descheduled for a time slice, and every request
 * behind it waited that long (JFR showed waits of 10-30 ms). Predictors are taken most-recently-used first, so the
 * same few stay hot. Closing it closes every predictor, then the model.
 */
final class PredictorPool implements AutoCloseable {

    private final Model model;
    private final Supplier<Translator<Object[][], Predictions>> translators;
    private final int max;
    private final LinkedBlockingDeque<Predictor<Object[][], Predictions>> idle = new LinkedBlockingDeque<>();
    private final List<Predictor<Object[][], Predictions>> all = new CopyOnWriteArrayList<>();
    private final AtomicInteger created = new AtomicInteger();

    PredictorPool(Model model, Predictors size, Supplier<Translator<Object[][], Predictions>> translators) {
        this.model = model;
        this.translators = translators;
        this.max = size.max();
        created.set(size.initial());
        for (int i = 0; i < size.initial(); i++) {
            idle.addFirst(create());
        }
    }

    /** A new predictor, counted in {@link #created} by the caller. */
    private Predictor<Object[][], Predictions> create() {
        Predictor<Object[][], Predictions> predictor = model.newPredictor(translators.get());
        all.add(predictor);
        return predictor;
    }

    Predictions predict(Object[][] rows) throws TranslateException, InterruptedException {
        Predictor<Object[][], Predictions> predictor = idle.pollFirst();
        if (predictor == null) {
            predictor = createIfRoom();
            if (predictor == null) {
                predictor = idle.takeFirst();
            }
        }
        try {
            return predictor.predict(rows);
        } finally {
            idle.addFirst(predictor);
        }
    }

    /** A new predictor if the pool is still below its maximum (two threads may race for the last place). */
    private Predictor<Object[][], Predictions> createIfRoom() {
        for (int n = created.get(); n < max; n = created.get()) {
            if (created.compareAndSet(n, n + 1)) {
                return create();
            }
        }
        return null;
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
