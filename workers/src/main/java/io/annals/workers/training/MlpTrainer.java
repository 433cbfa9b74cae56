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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a multi-layer perceptron with DJL on the PyTorch engine, for binary classification (sigmoid output,
 * binary cross-entropy), multi-class classification (softmax output, cross-entropy) or regression (L2 loss on a
 * standardised label). Rows become inputs through a {@link FeatureEncoder} learned on the training split (numeric
 * features standardised, empty ones imputed with a missing indicator, categorical ones one-hot), which travels in the
 * artifact. The same data, settings and seed give the same split and the same initial weights.
 */
public final class MlpTrainer {

    public static final String ENGINE = "PyTorch";

    /** Called after each epoch with the validation loss and metrics. */
    public interface EpochListener {
        void onEpoch(int epoch, double trainLoss, double validationLoss, Map<String, Double> validationMetrics);
    }

    /** @param environment the versions that trained it: annals, djl, engine, engineVersion, java, os */
    /** @param profile the reference profile of the training split's inputs */
    public record Result(Path artifact, Map<String, Double> metrics, ScoreBaseline baseline, int trainingRows,
                         int validationRows, Map<String, String> environment,
                         io.annals.command.api.common.InputProfile profile) {
    }

    /** What trains here, recorded on every run so that a rerun elsewhere can be compared. */
    public static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        String annals = MlpTrainer.class.getPackage().getImplementationVersion();
        environment.put("annals", annals == null ? "development build" : annals);
        environment.put("djl", Engine.getDjlVersion());
        environment.put("engine", ENGINE);
        environment.put("engineVersion", Engine.getEngine(ENGINE).getVersion());
        environment.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return environment;
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
        Task task = data.task();
        List<String> classes = data.classes();
        if (task == Task.MULTICLASS_CLASSIFICATION && classes.size() < 2) {
            throw new IllegalArgumentException("label '" + run.label() + "' has " + classes.size()
                    + " class(es); multi-class classification needs at least 2");
        }
        int[] order = shuffled(n, new Random(run.seed()));
        List<Object[]> trainingRows = new ArrayList<>(training);
        for (int i = 0; i < training; i++) {
            trainingRows.add(data.raw(order[i]));
        }
        FeatureEncoder encoder = FeatureEncoder.learn(data.features(), data.kinds(), data.nullable(), trainingRows);
        io.annals.command.api.common.InputProfile profile = data.profile(trainingRows);
        float labelMean = 0;
        float labelStd = 1;
        if (task == Task.REGRESSION) {
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
        float[][] trainX = matrix(data, order, 0, training, encoder);
        float[] trainY = labels(data, order, 0, training, labelMean, labelStd);
        float[][] valX = matrix(data, order, training, n, encoder);
        float[] valLabels = labels(data, order, training, n, 0, 1);
        int outputs = task == Task.MULTICLASS_CLASSIFICATION ? classes.size() : 1;

        Engine.getEngine(ENGINE).setRandomSeed((int) run.seed());
        Loss loss = switch (task) {
            case BINARY_CLASSIFICATION -> Loss.sigmoidBinaryCrossEntropyLoss();
            case REGRESSION -> Loss.l2Loss();
            case MULTICLASS_CLASSIFICATION -> Loss.softmaxCrossEntropyLoss();
        };
        var config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) hp.learningRate()))
                        .build());
        Map<String, Double> metrics = Map.of();
        Predictions validationPredictions = null;
        try (Model model = Model.newInstance("mlp", ENGINE)) {
            model.setBlock(ModelArtifact.network(hp.hiddenUnits(), outputs));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(hp.batchSize(), encoder.width()));
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
                    validationPredictions = predict(trainer, valX, task, labelMean, labelStd);
                    metrics = metrics(task, validationPredictions, valLabels, classes);
                    double validationLoss = task == Task.REGRESSION ? Math.pow(metrics.get("rmse"), 2)
                            : metrics.get("logLoss");
                    listener.onEpoch(epoch, lossSum / training, validationLoss, metrics);
                }
            }
            ScoreBaseline baseline = ScoreDistribution.baseline(validationPredictions.scores(), 10);
            String output = switch (task) {
                case BINARY_CLASSIFICATION -> "probability of " + run.label() + " = 1";
                case REGRESSION -> "estimate of " + run.label();
                case MULTICLASS_CLASSIFICATION -> "probability of each class of " + run.label();
            };
            ModelMetadata metadata = new ModelMetadata(ModelMetadata.FORMAT_VERSION, run.model(), run.runId(),
                    task, data.features(), run.label(), hp.hiddenUnits(), null, null, labelMean, labelStd, output,
                    ENGINE, Engine.getDjlVersion(), run.seed(), training, validation, metrics, encoder, classes);
            Path artifact = workDir.resolve("model-" + run.runId() + ".zip");
            ModelArtifact.write(model, metadata, artifact);
            return new Result(artifact, metrics, baseline, training, validation, environment(), profile);
        }
    }

    private static Predictions predict(Trainer trainer, float[][] x, Task task, float labelMean, float labelStd) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray out = trainer.evaluate(new NDList(manager.create(x))).singletonOrThrow();
            return Predictions.of(out, task, labelMean, labelStd);
        }
    }

    /**
     * Validation metrics: AUC, accuracy and log loss (binary); RMSE and MAE (regression); accuracy, macro F1, log
     * loss and the one-vs-rest AUC of each class, {@code auc.<class>} (multi-class).
     */
    static Map<String, Double> metrics(Task task, Predictions predictions, float[] labels, List<String> classes) {
        Map<String, Double> m = new LinkedHashMap<>();
        float[] scores = predictions.scores();
        switch (task) {
            case BINARY_CLASSIFICATION -> {
                m.put("auc", Metrics.auc(scores, labels));
                m.put("accuracy", Metrics.accuracy(scores, labels));
                m.put("logLoss", Metrics.logLoss(scores, labels));
            }
            case REGRESSION -> {
                m.put("rmse", Metrics.rmse(scores, labels));
                m.put("mae", Metrics.mae(scores, labels));
            }
            case MULTICLASS_CLASSIFICATION -> {
                m.put("accuracy", Metrics.accuracy(predictions.predicted(), labels));
                m.put("macroF1", Metrics.macroF1(predictions.predicted(), labels, classes.size()));
                m.put("logLoss", Metrics.logLoss(predictions.probabilities(), labels));
                for (int c = 0; c < classes.size(); c++) {
                    m.put("auc." + classes.get(c), Metrics.aucOneVsRest(predictions.probabilities(), labels, c));
                }
            }
        }
        return m;
    }

    private static float[][] matrix(TrainingData data, int[] order, int from, int to, FeatureEncoder encoder) {
        float[][] x = new float[to - from][];
        for (int i = from; i < to; i++) {
            x[i - from] = encoder.encode(data.raw(order[i]));
        }
        return x;
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
