package io.annals.workers.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.drift.ScoreDistribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Trains a multi-layer perceptron with DJL on the PyTorch engine, for binary classification (sigmoid output,
 * binary cross-entropy) or regression (L2 loss on a standardised label). Features are standardised with the
 * training split's statistics, which travel in the artifact. The same data, settings and seed give the same split
 * and the same initial weights.
 */
public final class MlpTrainer {

    public static final String ENGINE = "PyTorch";

    /** Called after each epoch with the validation loss and metrics. */
    public interface EpochListener {
        void onEpoch(int epoch, double trainLoss, double validationLoss, Map<String, Double> validationMetrics);
    }

    public record Result(Path artifact, Map<String, Double> metrics, ScoreBaseline baseline, int trainingRows,
                         int validationRows) {
    }

    /** Identity of the run, written into the artifact's metadata. */
    public record RunInfo(String model, String runId, String label, long seed) {
    }

    public Result train(TrainingData data, Hyperparameters hp, RunInfo run, EpochListener listener, Path workDir)
            throws IOException {
        int n = data.size();
        int validation = (int) Math.round(n * hp.validationFraction());
        int training = n - validation;
        if (training < 2 || validation < 2) {
            throw new IllegalArgumentException("too few usable rows to train and validate: " + n);
        }
        int[] order = shuffled(n, new Random(run.seed()));
        int width = data.features().size();
        float[] means = new float[width];
        float[] stds = new float[width];
        standardisation(data, order, training, means, stds);
        float labelMean = 0;
        float labelStd = 1;
        if (data.task() == Task.REGRESSION) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < training; i++) {
                float y = data.label(order[i]);
                sum += y;
                sq += (double) y * y;
            }
            labelMean = (float) (sum / training);
            labelStd = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq / training - labelMean * labelMean)));
        }
        float[][] trainX = matrix(data, order, 0, training, means, stds);
        float[] trainY = labels(data, order, 0, training, labelMean, labelStd);
        float[][] valX = matrix(data, order, training, n, means, stds);
        float[] valLabels = labels(data, order, training, n, 0, 1);

        Engine.getEngine(ENGINE).setRandomSeed((int) run.seed());
        Loss loss = data.task() == Task.BINARY_CLASSIFICATION ? Loss.sigmoidBinaryCrossEntropyLoss() : Loss.l2Loss();
        var config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) hp.learningRate()))
                        .build());
        Map<String, Double> metrics = Map.of();
        float[] validationScores = new float[0];
        try (Model model = Model.newInstance("mlp", ENGINE)) {
            model.setBlock(ModelArtifact.network(hp.hiddenUnits()));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(hp.batchSize(), width));
                Random shuffle = new Random(run.seed() + 1);
                int[] batchOrder = new int[training];
                for (int i = 0; i < training; i++) {
                    batchOrder[i] = i;
                }
                for (int epoch = 1; epoch <= hp.epochs(); epoch++) {
                    shuffleInPlace(batchOrder, shuffle);
                    double lossSum = 0;
                    for (int start = 0; start < training; start += hp.batchSize()) {
                        int end = Math.min(training, start + hp.batchSize());
                        try (NDManager batch = trainer.getManager().newSubManager()) {
                            float[][] x = new float[end - start][];
                            float[] y = new float[end - start];
                            for (int i = start; i < end; i++) {
                                x[i - start] = trainX[batchOrder[i]];
                                y[i - start] = trainY[batchOrder[i]];
                            }
                            NDArray features = batch.create(x);
                            NDArray target = batch.create(y, new Shape(y.length, 1));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList prediction = trainer.forward(new NDList(features));
                                NDArray l = loss.evaluate(new NDList(target), prediction);
                                lossSum += l.getFloat() * (end - start);
                                gc.backward(l);
                            }
                            trainer.step();
                        }
                    }
                    validationScores = predict(trainer, valX, data.task(), labelMean, labelStd);
                    metrics = metrics(data.task(), validationScores, valLabels);
                    double validationLoss = data.task() == Task.BINARY_CLASSIFICATION
                            ? metrics.get("logLoss") : Math.pow(metrics.get("rmse"), 2);
                    listener.onEpoch(epoch, lossSum / training, validationLoss, metrics);
                }
            }
            ScoreBaseline baseline = ScoreDistribution.baseline(validationScores, 10);
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, run.model(), run.runId(),
                    data.task(), data.features(), run.label(), hp.hiddenUnits(), means, stds, labelMean, labelStd,
                    data.task() == Task.BINARY_CLASSIFICATION ? "probability of " + run.label() + " = 1"
                            : "estimate of " + run.label(),
                    ENGINE, Engine.getDjlVersion(), run.seed(), training, validation, metrics);
            Path artifact = workDir.resolve("model-" + run.runId() + ".zip");
            ModelArtifact.write(model, metadata, artifact);
            return new Result(artifact, metrics, baseline, training, validation);
        }
    }

    private static float[] predict(Trainer trainer, float[][] x, Task task, float labelMean, float labelStd) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray out = trainer.evaluate(new NDList(manager.create(x))).singletonOrThrow();
            return ModelArtifact.score(out, task, labelMean, labelStd).toFloatArray();
        }
    }

    static Map<String, Double> metrics(Task task, float[] scores, float[] labels) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (task == Task.BINARY_CLASSIFICATION) {
            m.put("auc", Metrics.auc(scores, labels));
            m.put("accuracy", Metrics.accuracy(scores, labels));
            m.put("logLoss", Metrics.logLoss(scores, labels));
        } else {
            m.put("rmse", Metrics.rmse(scores, labels));
            m.put("mae", Metrics.mae(scores, labels));
        }
        return m;
    }

    private static void standardisation(TrainingData data, int[] order, int training, float[] means,
                                        float[] stds) {
        int width = means.length;
        double[] sum = new double[width];
        double[] sq = new double[width];
        for (int i = 0; i < training; i++) {
            float[] row = data.row(order[i]);
            for (int j = 0; j < width; j++) {
                sum[j] += row[j];
                sq[j] += (double) row[j] * row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            means[j] = (float) (sum[j] / training);
            double variance = Math.max(0, sq[j] / training - (double) means[j] * means[j]);
            stds[j] = (float) Math.max(1e-6, Math.sqrt(variance));
        }
    }

    private static float[][] matrix(TrainingData data, int[] order, int from, int to, float[] means,
                                    float[] stds) {
        float[][] x = new float[to - from][];
        for (int i = from; i < to; i++) {
            x[i - from] = standardise(data.row(order[i]), means, stds);
        }
        return x;
    }

    public static float[] standardise(float[] row, float[] means, float[] stds) {
        float[] out = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - means[j]) / stds[j];
        }
        return out;
    }

    private static float[] labels(TrainingData data, int[] order, int from, int to, float mean, float std) {
        float[] y = new float[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = (data.label(order[i]) - mean) / std;
        }
        return y;
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffleInPlace(order, random);
        return order;
    }

    private static void shuffleInPlace(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
