package io.annals.workers.serving;

/**
 * How many predictors a loaded model keeps: {@code initial} made at load, and up to {@code max} when requests
 * arrive together (see {@link PredictorPool}).
 */
public record Predictors(int initial, int max) {

    public Predictors {
        if (initial < 1 || max < initial) {
            throw new IllegalArgumentException("predictors need 1 <= initial <= max, got " + initial + " and " + max);
        }
    }

    /** Exactly {@code n} predictors: for a model used by one job at a time. */
    public static Predictors fixed(int n) {
        return new Predictors(n, n);
    }
}
