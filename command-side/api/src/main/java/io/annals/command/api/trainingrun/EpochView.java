package io.annals.command.api.trainingrun;

import java.time.Instant;
import java.util.List;

/** One epoch of a run: its losses and validation metrics. */
public record EpochView(int epoch, int of, double trainLoss, double validationLoss, List<Metric> metrics,
                        Instant at) {
}
