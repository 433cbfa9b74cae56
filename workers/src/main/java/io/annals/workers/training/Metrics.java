package io.annals.workers.training;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Evaluation metrics of predictions against labels. */
public final class Metrics {

    private Metrics() {
    }

    /** Area under the ROC curve (rank statistic; ties share their average rank). */
    public static double auc(float[] scores, float[] labels) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] > 0.5f) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    public static double accuracy(float[] probabilities, float[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((probabilities[i] >= 0.5f) == (labels[i] > 0.5f)) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    public static double logLoss(float[] probabilities, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i]));
            sum += labels[i] > 0.5f ? -Math.log(p) : -Math.log(1 - p);
        }
        return sum / labels.length;
    }

    public static double rmse(float[] predictions, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double d = predictions[i] - labels[i];
            sum += d * d;
        }
        return Math.sqrt(sum / labels.length);
    }

    public static double mae(float[] predictions, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum += Math.abs(predictions[i] - labels[i]);
        }
        return sum / labels.length;
    }

    /** The index of the largest probability of each row. */
    public static int[] argmax(float[][] probabilities) {
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            int best = 0;
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /** The share of rows whose predicted class is their label (a class index). */
    public static double accuracy(int[] predicted, float[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == (int) labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** The mean over classes of each class's F1 score; a class never predicted nor present scores 0. */
    public static double macroF1(int[] predicted, float[] labels, int classes) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < labels.length; i++) {
                boolean actual = (int) labels[i] == c;
                boolean guessed = predicted[i] == c;
                if (actual && guessed) {
                    tp++;
                } else if (guessed) {
                    fp++;
                } else if (actual) {
                    fn++;
                }
            }
            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / classes;
    }

    /** Cross-entropy of the probability each row gave its own class. */
    public static double logLoss(float[][] probabilities, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i][(int) labels[i]])));
        }
        return sum / labels.length;
    }

    /** The AUC of one class against all others, ranking rows by that class's probability. */
    public static double aucOneVsRest(float[][] probabilities, float[] labels, int c) {
        float[] scores = new float[labels.length];
        float[] binary = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            scores[i] = probabilities[i][c];
            binary[i] = (int) labels[i] == c ? 1f : 0f;
        }
        return auc(scores, binary);
    }
}
