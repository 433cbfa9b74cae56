package io.annals.command.api.trainingrun;

public enum Task {
    /** label is 0/1 (or a boolean); the model outputs the probability of 1. */
    BINARY_CLASSIFICATION,
    /** label is a number; the model outputs an estimate of it. */
    REGRESSION,
    /**
     * label is a class (a LONG, STRING or BOOLEAN column); the model outputs a probability per class (softmax),
     * its score being the top class's probability.
     */
    MULTICLASS_CLASSIFICATION;

    /** Whether a column of this type can be this task's label. */
    public boolean takesLabel(io.annals.command.api.dataset.ColumnType type) {
        return switch (this) {
            case BINARY_CLASSIFICATION, REGRESSION -> type.isNumeric();
            case MULTICLASS_CLASSIFICATION -> type == io.annals.command.api.dataset.ColumnType.LONG
                    || type == io.annals.command.api.dataset.ColumnType.STRING
                    || type == io.annals.command.api.dataset.ColumnType.BOOLEAN;
        };
    }
}
