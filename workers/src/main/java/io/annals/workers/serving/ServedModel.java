package io.annals.workers.serving;

import ai.djl.translate.TranslateException;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;

/** A model version in memory, ready to answer: trained here ({@link LoadedModel}) or imported ({@link OnnxModel}). */
public interface ServedModel extends AutoCloseable {

    /** Its signature: task, features in input order, classes, and how raw rows become its input. */
    ModelMetadata metadata();

    /** Answers raw rows (see {@code FeatureEncoder}) whose values are in the order of its features. */
    Predictions predict(Object[][] rows) throws TranslateException, InterruptedException;

    @Override
    void close();
}
