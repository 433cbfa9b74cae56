package io.annals.command.api.trainingrun;

/** Where a training run is in its life. */
public enum RunStatus {
    REQUESTED, RUNNING, COMPLETED, FAILED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}
