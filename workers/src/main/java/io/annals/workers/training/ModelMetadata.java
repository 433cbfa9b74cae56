package io.annals.workers.training;

import io.annals.command.api.trainingrun.Task;
import java.util.List;
import java.util.Map;

/**
 * What a model artifact says about itself: how to rebuild the network, how to turn a row into its input, the input
 * and output signature, and where it came from. Stored as {@code annals-model.json} beside the parameters.
 *
 * <p>Format 2 adds {@code encoder} (categorical and nullable features) and {@code classes} (multi-class); format 1
 * artifacts keep per-feature {@code featureMeans} and {@code featureStds} and are still served.
 *
 * @param classes the classes of a multi-class model, in the order of its outputs; empty otherwise
 */
public record ModelMetadata(int formatVersion, String model, String runId, Task task, List<String> features,
                            String label, List<Integer> hiddenUnits, float[] featureMeans, float[] featureStds,
                            float labelMean, float labelStd, String output, String engine, String djlVersion,
                            long seed, int trainingRows, int validationRows, Map<String, Double> metrics,
                            FeatureEncoder encoder, List<String> classes) {

    public static final int FORMAT_VERSION = 2;

    /** How rows become inputs, for artifacts of either format. */
    public FeatureEncoder inputs() {
        return encoder != null ? encoder : FeatureEncoder.numeric(features, featureMeans, featureStds);
    }

    /** The number of the network's outputs. */
    public int outputs() {
        return task == Task.MULTICLASS_CLASSIFICATION ? classes.size() : 1;
    }
}
