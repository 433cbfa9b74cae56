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

    /**
     * The answers of an imported model from its output tensor: scores ({@code [n]} or {@code [n,1]}), or class
     * probabilities ({@code [n, k]}: a binary model's score is the probability of its second class, a multi-class
     * model's {@code k} must be its number of classes).
     *
     * @throws IllegalArgumentException naming the shape when the output does not fit the task
     */
    public static Predictions fromOutput(Task task, long[] shape, float[] values, int classes) {
        int rows = (int) shape[0];
        boolean scores = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        if (scores && task != Task.MULTICLASS_CLASSIFICATION) {
            return new Predictions(values, null, null);
        }
        if (shape.length == 2 && task == Task.BINARY_CLASSIFICATION && shape[1] == 2) {
            float[] second = new float[rows];
            for (int i = 0; i < rows; i++) {
                second[i] = values[i * 2 + 1];
            }
            return new Predictions(second, null, null);
        }
        if (shape.length == 2 && task == Task.MULTICLASS_CLASSIFICATION && shape[1] == classes) {
            float[][] probabilities = new float[rows][classes];
            float[] top = new float[rows];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(values, i * classes, probabilities[i], 0, classes);
            }
            int[] predicted = Metrics.argmax(probabilities);
            for (int i = 0; i < rows; i++) {
                top[i] = probabilities[i][predicted[i]];
            }
            return new Predictions(top, predicted, probabilities);
        }
        String expected = switch (task) {
            case BINARY_CLASSIFICATION -> "[n], [n,1] or [n,2]";
            case REGRESSION -> "[n] or [n,1]";
            case MULTICLASS_CLASSIFICATION -> "[n," + classes + "] (one column per class)";
        };
        throw new IllegalArgumentException("its output has shape " + java.util.Arrays.toString(shape) + "; a "
                + task + " model's output must be " + expected);
    }
}
