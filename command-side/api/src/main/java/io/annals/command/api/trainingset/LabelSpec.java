package io.annals.command.api.trainingset;

import io.annals.command.api.common.Ids;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.DatasetName;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The rows a training set is built for: these batches of a label dataset, in this order; each row's entity (the
 * {@code entityKeys} columns, matched by position to the feature set's keys), its instant and its label.
 */
public record LabelSpec(DatasetName dataset, List<BatchId> batchIds, List<String> entityKeys,
                        String timestampColumn, String labelColumn) {

    public static final int MAX_BATCHES = 1_000;

    public LabelSpec {
        Objects.requireNonNull(dataset, "the label dataset is required");
        if (batchIds == null || batchIds.isEmpty()) {
            throw new IllegalArgumentException("labels need at least one batch");
        }
        if (batchIds.size() > MAX_BATCHES) {
            throw new IllegalArgumentException("labels take at most " + MAX_BATCHES + " batches, not "
                    + batchIds.size());
        }
        if (new HashSet<>(batchIds).size() != batchIds.size()) {
            throw new IllegalArgumentException("label batches " + batchIds + " name a batch twice");
        }
        if (entityKeys == null || entityKeys.isEmpty()) {
            throw new IllegalArgumentException("labels need at least one entity key column");
        }
        Ids.requireText("label timestamp column", timestampColumn);
        Ids.requireText("label column", labelColumn);
        batchIds = List.copyOf(batchIds);
        entityKeys = List.copyOf(entityKeys);
    }
}
