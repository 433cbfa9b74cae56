package io.annals.workers.training;

import io.annals.command.api.trainingrun.Task;
import java.util.List;
import java.util.Map;

/**
 * What a model artifact says about itself: how to rebuild the network, how to preprocess a row, the input and
 * output signature, and where it came from. Stored as {@code annals-model.json} beside the parameters.
 */
public record ModelMetadata(int formatVersion, String model, String runId, Task task, List<String> features,
                            String label, List<Integer> hiddenUnits, float[] featureMeans, float[] featureStds,
                            float labelMean, float labelStd, String output, String engine, String djlVersion,
                            long seed, int trainingRows, int validationRows, Map<String, Double> metrics) {

    public static final int FORMAT_VERSION = 1;
}
