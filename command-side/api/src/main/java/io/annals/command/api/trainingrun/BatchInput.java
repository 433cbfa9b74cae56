package io.annals.command.api.trainingrun;

/** A batch as the run will read it: where it is and the digest it must have. */
public record BatchInput(BatchRef batch, String location, String sha256, long rows) {
}
