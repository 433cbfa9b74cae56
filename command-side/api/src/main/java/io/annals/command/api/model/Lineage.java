package io.annals.command.api.model;

import io.annals.command.api.dataset.BatchView;
import io.annals.command.api.dataset.DatasetView;
import io.annals.command.api.trainingrun.TrainingRunView;
import java.util.List;

/** What a model version was made from: its run, the batches the run read, and their datasets. */
public record Lineage(ModelVersionView modelVersion, TrainingRunView run, List<BatchView> batches,
                      List<DatasetView> datasets) {
}
