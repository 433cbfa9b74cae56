package io.annals.command.domain;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.dataset.BatchId;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetBatchIngested;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetRegistered;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.model.ModelVersionRegistered;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.List;
import java.util.Map;

/** Sample events shared by the aggregate tests. */
public final class Fixtures {

    public static final DatasetName LOANS = DatasetName.of("loans");
    public static final BatchId BATCH = BatchId.of("batch-1");
    public static final ModelName RANKER = ModelName.of("ranker");
    public static final String SHA = "a".repeat(64);

    private Fixtures() {
    }

    public static DatasetSchema schema() {
        return new DatasetSchema(List.of(new ColumnSpec("x1", ColumnType.DOUBLE, false),
                new ColumnSpec("x2", ColumnType.DOUBLE, false), new ColumnSpec("note", ColumnType.STRING, true),
                new ColumnSpec("label", ColumnType.LONG, false)));
    }

    public static List<ColumnStatistics> stats() {
        return List.of(new ColumnStatistics("x1", 10, 0, 0.0, 1.0, 0.5, 0.1),
                new ColumnStatistics("x2", 10, 0, 0.0, 1.0, 0.5, 0.1),
                new ColumnStatistics("note", 10, 2, null, null, null, null),
                new ColumnStatistics("label", 10, 0, 0.0, 1.0, 0.5, 0.5));
    }

    public static DatasetRegistered registered() {
        return new DatasetRegistered(LOANS, schema(), "loans");
    }

    public static DatasetBatchIngested ingested() {
        return new DatasetBatchIngested(LOANS, BATCH, "2026-11-01", "s3://annals/datasets/loans/batch-1.csv", SHA,
                10, 100, stats());
    }

    public static ArtifactRef artifact(String key) {
        return new ArtifactRef("s3://annals/models/" + key + ".zip", SHA, 1000);
    }

    public static ScoreBaseline baseline() {
        return new ScoreBaseline(List.of(0.5), List.of(0.5, 0.5), 100);
    }

    public static ModelVersionRegistered version(int version) {
        return new ModelVersionRegistered(RANKER, version, TrainingRunId.of("run-" + version),
                Task.BINARY_CLASSIFICATION, List.of("x1", "x2"), artifact("v" + version), Map.of("auc", 0.9),
                baseline());
    }
}
