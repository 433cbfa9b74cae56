package io.annals.command.api.model;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.trainingrun.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a model version trained elsewhere is run: an ONNX file taking one FP32 tensor {@code [n, features]} in the
 * order of {@code features}, whose output tensor {@code output} holds scores ({@code [n]} or {@code [n,1]}) or class
 * probabilities ({@code [n, classes]}; a binary model's score is then the probability of its second class).
 *
 * @param fileName the name of the file it was imported from
 * @param task     what it does: its scores are read as that task's
 * @param classes  the classes in the order of the output's columns; empty unless the output holds probabilities
 * @param label    the column the model predicts, for evaluating it on a batch; null when not given
 */
public record ImportedModel(String fileName, Task task, List<ColumnSpec> features, String output,
                            List<String> classes, String label) {

    public ImportedModel {
        features = features == null ? List.of() : List.copyOf(features);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Checks a signature as declared by whoever imports a model; the message names what is wrong. */
    public void validate() {
        if (task == null) {
            throw new IllegalArgumentException("signature: task is required (BINARY_CLASSIFICATION, REGRESSION or "
                    + "MULTICLASS_CLASSIFICATION)");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("signature: features must list the model's inputs in order");
        }
        if (features.size() > 10_000) {
            throw new IllegalArgumentException("signature: at most 10000 features");
        }
        Set<String> names = new HashSet<>();
        for (ColumnSpec f : features) {
            if (f.name() == null || f.name().isBlank() || !names.add(f.name())) {
                throw new IllegalArgumentException("signature: feature names must be given and distinct");
            }
            if (f.type() == null || !f.type().isNumeric()) {
                throw new IllegalArgumentException("signature: feature '" + f.name() + "' is " + f.type()
                        + "; an imported model takes one FP32 tensor, so every feature must be DOUBLE, LONG or "
                        + "BOOLEAN");
            }
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("signature: output must name the output tensor to read");
        }
        if (task == Task.MULTICLASS_CLASSIFICATION && classes.size() < 2) {
            throw new IllegalArgumentException("signature: a multi-class model needs its classes, in the order of "
                    + "its output's columns");
        }
        if (task == Task.REGRESSION && !classes.isEmpty()) {
            throw new IllegalArgumentException("signature: a regression model has no classes");
        }
        if (task == Task.BINARY_CLASSIFICATION && !classes.isEmpty() && classes.size() != 2) {
            throw new IllegalArgumentException("signature: a binary model's classes are two");
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("signature: classes must be distinct");
        }
    }

    public List<String> featureNames() {
        return features.stream().map(ColumnSpec::name).toList();
    }
}
