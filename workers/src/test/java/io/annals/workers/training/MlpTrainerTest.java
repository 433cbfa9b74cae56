package io.annals.workers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.trainingrun.Hyperparameters;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.serving.LoadedModel;
import io.annals.workers.serving.Predictors;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

        try (LoadedModel model = LoadedModel.load(result.artifact(), work.resolve("loaded"), Predictors.fixed(2))) {
            assertThat(model.metadata().features()).containsExactly("x1", "x2", "noise");
            TrainingData fresh = data(Task.BINARY_CLASSIFICATION, csv(500, 99));
            Object[][] rows = new Object[fresh.size()][];
            float[] labels = new float[fresh.size()];
            for (int i = 0; i < fresh.size(); i++) {
                rows[i] = fresh.raw(i);
                labels[i] = fresh.label(i);
            }
            double servedAuc = Metrics.auc(model.predict(rows).scores(), labels);
            assertThat(servedAuc).isCloseTo(result.metrics().get("auc"), within(0.03));
            float[] extremes = model.predict(new Object[][] {{3f, 3f, 0.5f}, {-3f, -3f, 0.5f}}).scores();
            assertThat(extremes[0]).isGreaterThan(0.5f);
            assertThat(extremes[1]).isLessThan(0.5f);

            // each predictor keeps the buffer its inputs are written into: rows alone from four threads at once over
            // two predictors, after larger batches, and a batch too large to keep, score as the whole batch did
            float[] batch = model.predict(rows).scores();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<Float>> alone = new ArrayList<>();
                for (int i = 0; i < rows.length; i++) {
                    Object[] row = rows[i];
                    alone.add(threads.submit(() -> model.predict(new Object[][] {row}).scores()[0]));
                }
                for (int i = 0; i < rows.length; i++) {
                    assertThat(alone.get(i).get()).as("row %d alone", i).isCloseTo(batch[i], within(1e-5f));
                }
            } finally {
                threads.shutdownNow();
            }
            Object[][] large = new Object[100_000][]; // 1.2 MB of features: more than a predictor keeps
            for (int i = 0; i < large.length; i++) {
                large[i] = rows[i % rows.length];
            }
            float[] largeScores = model.predict(large).scores();
            for (int i = 0; i < large.length; i += 997) {
                assertThat(largeScores[i]).as("row %d of the large batch", i)
                        .isCloseTo(batch[i % rows.length], within(1e-5f));
            }
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

    /** Three classes by the angle of (x1, x2), so no single threshold on one input separates them. */
    static String threeClasses(int rows, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("x1,x2,species\n");
        for (int i = 0; i < rows; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double angle = Math.atan2(x2, x1);
            String species = angle < -Math.PI / 3 ? "setosa" : angle < Math.PI / 3 ? "versicolor" : "virginica";
            s.append(x1).append(',').append(x2).append(',').append(species).append('\n');
        }
        return s.toString();
    }

    @Test
    void givenThreeClasses_whenTrained_thenFarAboveTheMajorityClass_andServedWithTheClassList() throws Exception {
        TrainingData data = new TrainingData(List.of("x1", "x2"), "species", Task.MULTICLASS_CLASSIFICATION);
        data.addCsv(new StringReader(threeClasses(3000, 4)), "iris.csv");
        assertThat(data.classes()).containsExactly("setosa", "versicolor", "virginica");
        var result = new MlpTrainer().train(data, new Hyperparameters(8, 0.02, 64, List.of(16), 0.2),
                new MlpTrainer.RunInfo("species", "run-m", "species", 5), (e, t, v, m) -> { }, work);

        // the classes hold a third of the rows each, so always guessing one would be right about a third of the time
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.85);
        assertThat(result.metrics().get("macroF1")).isGreaterThan(0.85);
        assertThat(result.metrics()).containsKeys("logLoss", "auc.setosa", "auc.versicolor", "auc.virginica");
        assertThat(result.metrics().get("auc.setosa")).isGreaterThan(0.95);
        try (LoadedModel model = LoadedModel.load(result.artifact(), work.resolve("loaded-m"), Predictors.fixed(1))) {
            assertThat(model.metadata().classes()).containsExactly("setosa", "versicolor", "virginica");
            Predictions p = model.predict(new Object[][] {{1f, -2f}, {1f, 0f}, {-1f, 2f}});
            assertThat(p.predicted()).containsExactly(0, 1, 2);
            for (int i = 0; i < 3; i++) {
                double sum = 0;
                for (float q : p.probabilities()[i]) {
                    sum += q;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
                assertThat(p.scores()[i]).isEqualTo(p.probabilities()[i][p.predicted()[i]]);
            }
        }
    }

    @Test
    void givenTheSignalInACategory_whenTrained_thenTheModelUsesIt_andUnseenValuesGoToOther() throws Exception {
        Random r = new Random(8);
        String[] cities = {"paris", "lyon", "rome", "oslo"};
        StringBuilder csv = new StringBuilder("city,noise,label\n");
        for (int i = 0; i < 2000; i++) {
            String city = cities[r.nextInt(cities.length)];
            // the label is the city's (paris and rome: 1), nothing else carries it
            csv.append(city).append(',').append(r.nextGaussian()).append(',')
                    .append(city.equals("paris") || city.equals("rome") ? 1 : 0).append('\n');
        }
        csv.append("atlantis,0.1,1\n");
        TrainingData data = new TrainingData(List.of("city", "noise"), "label", Task.BINARY_CLASSIFICATION,
                List.of(new ColumnSpec("city", ColumnType.STRING, true),
                        new ColumnSpec("noise", ColumnType.DOUBLE, false), new ColumnSpec("label", ColumnType.LONG,
                                false)));
        data.addCsv(new StringReader(csv.toString()), "cities.csv");
        var result = new MlpTrainer().train(data, new Hyperparameters(6, 0.02, 64, List.of(8), 0.2),
                new MlpTrainer.RunInfo("m", "run-c", "label", 9), (e, t, v, m) -> { }, work);

        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.97);
        try (LoadedModel model = LoadedModel.load(result.artifact(), work.resolve("loaded-c"), Predictors.fixed(1))) {
            FeatureEncoder.Input city = model.metadata().inputs().inputs().get(0);
            assertThat(city.kind()).isEqualTo(FeatureEncoder.Kind.CATEGORICAL);
            assertThat(city.vocabulary()).containsExactlyInAnyOrder(cities).doesNotContain("atlantis");
            float[] scores = model.predict(new Object[][] {{"paris", 0f}, {"oslo", 0f}, {"atlantis", 0f},
                    {null, 0f}}).scores();
            assertThat(scores[0]).isGreaterThan(0.9f);
            assertThat(scores[1]).isLessThan(0.1f);
            // a value seen once, and an empty one, both fall into the "other" input
            assertThat(scores[2]).isEqualTo(scores[3]);
        }
    }

    @Test
    void givenEmptyValuesOfANullableFeature_whenTrained_thenImputedWithAMissingIndicator() throws Exception {
        Random r = new Random(12);
        StringBuilder csv = new StringBuilder("income,label\n");
        for (int i = 0; i < 2000; i++) {
            // a missing income is itself the signal: those rows are all positive
            boolean missing = r.nextInt(4) == 0;
            double income = r.nextGaussian();
            csv.append(missing ? "" : String.valueOf(income)).append(',')
                    .append(missing || income > 0.5 ? 1 : 0).append('\n');
        }
        TrainingData data = new TrainingData(List.of("income"), "label", Task.BINARY_CLASSIFICATION,
                List.of(new ColumnSpec("income", ColumnType.DOUBLE, true), new ColumnSpec("label", ColumnType.LONG,
                        false)));
        data.addCsv(new StringReader(csv.toString()), "incomes.csv");
        assertThat(data.size()).as("rows with an empty income are kept").isEqualTo(2000);
        var result = new MlpTrainer().train(data, new Hyperparameters(8, 0.02, 64, List.of(8), 0.2),
                new MlpTrainer.RunInfo("m", "run-n", "label", 3), (e, t, v, m) -> { }, work);
        assertThat(result.metrics().get("accuracy")).isGreaterThan(0.95);
        try (LoadedModel model = LoadedModel.load(result.artifact(), work.resolve("loaded-n"), Predictors.fixed(1))) {
            FeatureEncoder encoder = model.metadata().inputs();
            assertThat(encoder.width()).as("the value and its missing indicator").isEqualTo(2);
            float[] scores = model.predict(new Object[][] {{Float.NaN}, {-1f}}).scores();
            assertThat(scores[0]).isGreaterThan(0.9f);
            assertThat(scores[1]).isLessThan(0.1f);
            StringBuilder error = new StringBuilder();
            assertThat(encoder.fromJson(3, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of("income", "lots")), error)).isNull();
            assertThat(error).hasToString("row 3: feature 'income' must be a number, got lots");
            assertThat(encoder.fromJson(1, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), new StringBuilder())).containsExactly(Float.NaN);
        }
    }
}
