package io.annals.command.api.trainingrun;

public enum Task {
    /** label is 0/1 (or a boolean); the model outputs the probability of 1. */
    BINARY_CLASSIFICATION,
    /** label is a number; the model outputs an estimate of it. */
    REGRESSION
}
