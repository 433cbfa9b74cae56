package io.annals.command.api.trainingrun;

import java.util.List;

/** Everything that shapes an MLP training run besides its data and seed. */
public record Hyperparameters(int epochs, double learningRate, int batchSize, List<Integer> hiddenUnits,
                              double validationFraction) {

    public static final Hyperparameters DEFAULTS = new Hyperparameters(10, 0.01, 64, List.of(32, 16), 0.2);

    public Hyperparameters {
        if (epochs < 1 || epochs > 1000) {
            throw new IllegalArgumentException("epochs must be between 1 and 1000, got " + epochs);
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (batchSize < 1 || batchSize > 65536) {
            throw new IllegalArgumentException("batchSize must be between 1 and 65536, got " + batchSize);
        }
        hiddenUnits = List.copyOf(hiddenUnits == null ? List.of() : hiddenUnits);
        for (int units : hiddenUnits) {
            if (units < 1 || units > 4096) {
                throw new IllegalArgumentException("hiddenUnits must each be between 1 and 4096, got " + units);
            }
        }
        if (!(validationFraction >= 0.05 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in [0.05, 0.5], got " + validationFraction);
        }
    }
}
