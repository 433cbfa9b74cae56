package io.annals.workers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.serving.LoadedModel;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTrainerTest {

    @TempDir
    Path work;

    /** label = 1 when x1 + 2·x2 > 0.5, so a trained model must rank far better than chance. */
    static String csv(int rows, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("x1,x2,noise,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            s.append(x1).append(',').append(x2).append(',').append(r.nextDouble()).append(',')
                    .append(x1 + 2 * x2 > 0.5 ? 1 : 0).append('\n');
        }
        return s.toString();
    }

    private static TrainingData data(Task task, String csv) throws Exception {
        TrainingData data = new TrainingData(List.of("x1", "x2", "noise"), "label", task);
        data.addCsv(new StringReader(csv), "test.csv");
        return data;
    }

    @Test
    void givenDataWithAKnownRule_whenTrained_thenBeatsChanceAndReportsEveryEpoch() throws Exception {
        List<Integer> epochs = new ArrayList<>();
        var result = new MlpTrainer().train(data(Task.BINARY_CLASSIFICATION, csv(2000, 1)),
                new Hyperparameters(6, 0.01, 64, List.of(16, 8), 0.2),
                new MlpTrainer.RunInfo("ranker", "run-1", "label", 42),
                (epoch, trainLoss, validationLoss, metrics) -> epochs.add(epoch), work);

        assertThat(epochs).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(result.metrics().get("auc")).isGreaterThan(0.95);
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.85);
        assertThat(result.trainingRows()).isEqualTo(1600);
        assertThat(result.baseline().fractions().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void givenTrainedArtifact_whenLoadedForServing_thenScoresAgreeWithTraining() throws Exception {
        var result = new MlpTrainer().train(data(Task.BINARY_CLASSIFICATION, csv(1000, 2)),
                new Hyperparameters(4, 0.01, 64, List.of(8), 0.2),
                new MlpTrainer.RunInfo("ranker", "run-2", "label", 7), (e, t, v, m) -> { }, work);

        try (LoadedModel model = LoadedModel.load(result.artifact(), work.resolve("loaded"), 2)) {
            assertThat(model.metadata().features()).containsExactly("x1", "x2", "noise");
            TrainingData fresh = data(Task.BINARY_CLASSIFICATION, csv(500, 99));
            float[][] rows = new float[fresh.size()][];
            float[] labels = new float[fresh.size()];
            for (int i = 0; i < fresh.size(); i++) {
                rows[i] = fresh.row(i);
                labels[i] = fresh.label(i);
            }
            double servedAuc = Metrics.auc(model.predict(rows), labels);
            assertThat(servedAuc).isCloseTo(result.metrics().get("auc"), within(0.03));
            float[] extremes = model.predict(new float[][] {{3f, 3f, 0.5f}, {-3f, -3f, 0.5f}});
            assertThat(extremes[0]).isGreaterThan(0.5f);
            assertThat(extremes[1]).isLessThan(0.5f);
        }
    }

    @Test
    void givenSameSeed_whenTrainedTwice_thenSameMetrics() throws Exception {
        String csv = csv(600, 3);
        var hp = new Hyperparameters(2, 0.01, 32, List.of(8), 0.2);
        var a = new MlpTrainer().train(data(Task.BINARY_CLASSIFICATION, csv), hp,
                new MlpTrainer.RunInfo("m", "a", "label", 11), (e, t, v, m) -> { }, work);
        var b = new MlpTrainer().train(data(Task.BINARY_CLASSIFICATION, csv), hp,
                new MlpTrainer.RunInfo("m", "b", "label", 11), (e, t, v, m) -> { }, work);
        assertThat(b.metrics().get("auc")).isCloseTo(a.metrics().get("auc"), within(1e-6));
    }

    @Test
    void givenRegressionTask_whenTrained_thenErrorBelowTheLabelsSpread() throws Exception {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder("x1,x2,noise,label\n");
        for (int i = 0; i < 1500; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            s.append(x1).append(',').append(x2).append(",0,").append(3 * x1 - x2 + 10 + 0.1 * r.nextGaussian())
                    .append('\n');
        }
        var result = new MlpTrainer().train(data(Task.REGRESSION, s.toString()),
                new Hyperparameters(8, 0.01, 64, List.of(16), 0.2), new MlpTrainer.RunInfo("m", "r", "label", 3),
                (e, t, v, m) -> { }, work);
        // the label's standard deviation is about 3.2; predicting the mean would give an RMSE near that
        assertThat(result.metrics().get("rmse")).isLessThan(1.0);
        assertThat(result.metrics()).containsKeys("rmse", "mae");
    }
}
