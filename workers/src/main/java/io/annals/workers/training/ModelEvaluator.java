package io.annals.workers.training;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.model.ModelEvaluationRequested;
import io.annals.command.api.trainingrun.Task;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.workers.drift.ScoreDistribution;
import io.annals.workers.serving.LoadedModel;
import io.annals.workers.serving.OnnxModel;
import io.annals.workers.serving.Predictors;
import io.annals.workers.serving.ServedModel;
import io.annals.workers.storage.ArtifactStore;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes a model version's metrics on one batch, as its training computed them on its validation split: the
 * artifact and the batch are fetched with their digests checked, rows become inputs through the artifact's own
 * encoder, and a multi-class label is read as one of the model's classes.
 */
final class ModelEvaluator {

    private static final int CHUNK = 8192;

    record Result(long rows, Map<String, Double> metrics, ScoreBaseline baseline,
                  io.annals.command.api.common.InputProfile profile) {
    }

    private ModelEvaluator() {
    }

    static Result evaluate(ModelEvaluationRequested request, ArtifactStore store, Path dir) throws Exception {
        Path artifact = dir.resolve(request.imported() == null ? "model.zip" : "model.onnx");
        store.fetchVerified(request.artifact(), artifact);
        if (request.imported() != null && request.imported().label() == null) {
            throw new IllegalArgumentException("imported version " + request.version() + " has no label column in its "
                    + "signature, so it cannot be evaluated");
        }
        try (ServedModel model = request.imported() == null
                ? LoadedModel.load(artifact, dir.resolve("model"), Predictors.fixed(1))
                : OnnxModel.load(artifact, dir.resolve("model"), request.model().value(), request.task(),
                        request.imported(), Predictors.fixed(1))) {
            ModelMetadata metadata = model.metadata();
            List<ColumnSpec> columns = new ArrayList<>();
            for (FeatureEncoder.Input input : metadata.inputs().inputs()) {
                columns.add(input.kind() == FeatureEncoder.Kind.CATEGORICAL
                        ? new ColumnSpec(input.name(), ColumnType.STRING, true)
                        : new ColumnSpec(input.name(), ColumnType.DOUBLE, input.nullable()));
            }
            TrainingData data = new TrainingData(metadata.features(), metadata.label(), metadata.task(), columns);
            Path batch = dir.resolve("batch.csv");
            store.fetchVerified(new ArtifactRef(request.batch().location(), request.batch().sha256(), 0), batch);
            try (Reader reader = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
                data.addCsv(reader, request.batch().location());
            }
            if (data.size() == 0) {
                throw new IllegalArgumentException("batch " + request.batch().batch().batchId()
                        + " has no row with a label '" + metadata.label() + "' to evaluate on");
            }
            if (metadata.task() == Task.MULTICLASS_CLASSIFICATION) {
                data.useClasses(metadata.classes());
            }
            int n = data.size();
            float[] labels = new float[n];
            float[] scores = new float[n];
            int[] predicted = metadata.task() == Task.MULTICLASS_CLASSIFICATION ? new int[n] : null;
            float[][] probabilities = predicted == null ? null : new float[n][];
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                Object[][] rows = new Object[to - from][];
                for (int i = from; i < to; i++) {
                    rows[i - from] = data.raw(i);
                    labels[i] = data.label(i);
                }
                Predictions chunk = model.predict(rows);
                System.arraycopy(chunk.scores(), 0, scores, from, to - from);
                if (predicted != null) {
                    System.arraycopy(chunk.predicted(), 0, predicted, from, to - from);
                    System.arraycopy(chunk.probabilities(), 0, probabilities, from, to - from);
                }
            }
            Map<String, Double> metrics = MlpTrainer.metrics(metadata.task(),
                    new Predictions(scores, predicted, probabilities), labels, metadata.classes());
            return new Result(n, metrics, ScoreDistribution.baseline(scores, 10), data.profile(data.rows()));
        }
    }
}
