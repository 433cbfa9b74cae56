package io.annals.workers.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.annals.workers.training.Predictions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * A loaded DJL model with a few predictors of it, taken one request at a time (a DJL predictor must not be used by
 * two threads at once); closing it closes the predictors, then the model.
 */
final class PredictorPool implements AutoCloseable {

    private final Model model;
    private final BlockingQueue<Predictor<Object[][], Predictions>> predictors;

    PredictorPool(Model model, int size, Supplier<Translator<Object[][], Predictions>> translators) {
        this.model = model;
        this.predictors = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            predictors.add(model.newPredictor(translators.get()));
        }
    }

    Predictions predict(Object[][] rows) throws TranslateException, InterruptedException {
        Predictor<Object[][], Predictions> predictor = predictors.take();
        try {
            return predictor.predict(rows);
        } finally {
            predictors.add(predictor);
        }
    }

    @Override
    public void close() {
        predictors.forEach(Predictor::close);
        model.close();
    }
}
