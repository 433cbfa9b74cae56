package io.annals.workers.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.annals.command.api.trainingrun.Task;

/**
 * A model's answers for some rows, from the network's raw output, computed the same way in training and serving:
 * the probability of 1 (binary), the label on its own scale (regression), or for a multi-class model the probability
 * of each class (softmax), the top class and its probability, which is the row's score.
 *
 * @param predicted     the index of each row's top class; null unless multi-class
 * @param probabilities per row, one probability per class; null unless multi-class
 */
public record Predictions(float[] scores, int[] predicted, float[][] probabilities) {

    public static Predictions of(NDArray raw, Task task, float labelMean, float labelStd) {
        return switch (task) {
            case BINARY_CLASSIFICATION -> new Predictions(Activation.sigmoid(raw).toFloatArray(), null, null);
            case REGRESSION -> new Predictions(raw.mul(labelStd).add(labelMean).toFloatArray(), null, null);
            case MULTICLASS_CLASSIFICATION -> {
                int rows = (int) raw.getShape().get(0);
                int classes = (int) raw.getShape().get(1);
                float[] flat = raw.softmax(1).toFloatArray();
                float[][] probabilities = new float[rows][classes];
                float[] scores = new float[rows];
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(flat, i * classes, probabilities[i], 0, classes);
                }
                int[] predicted = Metrics.argmax(probabilities);
                for (int i = 0; i < rows; i++) {
                    scores[i] = probabilities[i][predicted[i]];
                }
                yield new Predictions(scores, predicted, probabilities);
            }
        };
    }
}
