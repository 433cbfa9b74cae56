package io.annals.workers.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a row of raw feature values becomes the network's input, learned from the training split and recorded in the
 * artifact, so that serving applies exactly what training did. A numeric feature is standardised with the training
 * mean and deviation; when it may be empty, an empty value is replaced by the training mean and a second input says
 * it was missing. A categorical (STRING) feature is one-hot over its vocabulary — the values seen at least
 * {@link #MIN_COUNT} times in the training split, at most {@link #MAX_VOCABULARY} of the most frequent — plus one
 * input for every other value: rare, unseen at training, or empty.
 *
 * <p>A raw row holds, per feature, a {@code Float} (NaN when empty) for a numeric feature and a {@code String}
 * (null when empty) for a categorical one.
 */
public record FeatureEncoder(List<Input> inputs) {

    public static final int MIN_COUNT = 2;
    public static final int MAX_VOCABULARY = 50;

    public enum Kind { NUMERIC, CATEGORICAL }

    /**
     * @param nullable   for a numeric feature, whether it has a missing-indicator input
     * @param vocabulary for a categorical feature, the values with an input of their own, in input order
     */
    public record Input(String name, Kind kind, boolean nullable, float mean, float std, List<String> vocabulary) {

        public int width() {
            return kind == Kind.NUMERIC ? (nullable ? 2 : 1) : vocabulary.size() + 1;
        }
    }

    public FeatureEncoder {
        inputs = List.copyOf(inputs);
    }

    /** The encoder of artifacts written before categorical features: every feature numeric and never empty. */
    public static FeatureEncoder numeric(List<String> features, float[] means, float[] stds) {
        List<Input> inputs = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            inputs.add(new Input(features.get(j), Kind.NUMERIC, false, means[j], stds[j], List.of()));
        }
        return new FeatureEncoder(inputs);
    }

    /** Learns the statistics and vocabularies from the rows of the training split. */
    public static FeatureEncoder learn(List<String> features, List<Kind> kinds, List<Boolean> nullable,
                                       List<Object[]> rows) {
        List<Input> inputs = new ArrayList<>();
        for (int j = 0; j < features.size(); j++) {
            if (kinds.get(j) == Kind.NUMERIC) {
                double sum = 0;
                double sq = 0;
                long n = 0;
                for (Object[] row : rows) {
                    float v = (Float) row[j];
                    if (!Float.isNaN(v)) {
                        sum += v;
                        sq += (double) v * v;
                        n++;
                    }
                }
                float mean = n == 0 ? 0f : (float) (sum / n);
                double variance = n == 0 ? 1 : Math.max(0, sq / n - (double) mean * mean);
                inputs.add(new Input(features.get(j), Kind.NUMERIC, nullable.get(j), mean,
                        (float) Math.max(1e-6, Math.sqrt(variance)), List.of()));
            } else {
                Map<String, Integer> counts = new HashMap<>();
                for (Object[] row : rows) {
                    if (row[j] != null) {
                        counts.merge((String) row[j], 1, Integer::sum);
                    }
                }
                List<String> vocabulary = counts.entrySet().stream().filter(e -> e.getValue() >= MIN_COUNT)
                        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                        .limit(MAX_VOCABULARY).map(Map.Entry::getKey).toList();
                inputs.add(new Input(features.get(j), Kind.CATEGORICAL, true, 0f, 1f, vocabulary));
            }
        }
        return new FeatureEncoder(inputs);
    }

    /** The number of network inputs. */
    public int width() {
        int width = 0;
        for (Input input : inputs) { // not a stream: this runs for every row scored
            width += input.width();
        }
        return width;
    }

    public List<String> features() {
        return inputs.stream().map(Input::name).toList();
    }

    public float[] encode(Object[] raw) {
        float[] out = new float[width()];
        int at = 0;
        for (int j = 0; j < inputs.size(); j++) {
            Input input = inputs.get(j);
            if (input.kind() == Kind.NUMERIC) {
                float v = (Float) raw[j];
                boolean missing = Float.isNaN(v);
                out[at] = missing ? 0f : (v - input.mean()) / input.std();
                if (input.nullable()) {
                    out[at + 1] = missing ? 1f : 0f;
                }
            } else {
                int slot = raw[j] == null ? -1 : input.vocabulary().indexOf((String) raw[j]);
                out[at + (slot < 0 ? input.vocabulary().size() : slot)] = 1f;
            }
            at += input.width();
        }
        return out;
    }

    /**
     * The raw row of one request row (JSON values by feature name), or an error naming the row and feature: a
     * numeric feature takes a number or a boolean, a categorical one a string; an empty value (absent or null) is
     * allowed where training allowed it — a numeric feature that could be empty, and every categorical one.
     */
    public Object[] fromJson(int rowNumber, JsonNode row, StringBuilder error) {
        Object[] raw = new Object[inputs.size()];
        for (int j = 0; j < inputs.size(); j++) {
            Input input = inputs.get(j);
            JsonNode value = row == null ? null : row.get(input.name());
            boolean empty = value == null || value.isNull();
            if (input.kind() == Kind.NUMERIC) {
                if (empty) {
                    if (!input.nullable()) {
                        error.append("row ").append(rowNumber).append(": feature '").append(input.name())
                                .append("' is missing");
                        return null;
                    }
                    raw[j] = Float.NaN;
                } else if (value.isNumber()) {
                    raw[j] = value.floatValue();
                } else if (value.isBoolean()) {
                    raw[j] = value.booleanValue() ? 1f : 0f;
                } else {
                    error.append("row ").append(rowNumber).append(": feature '").append(input.name())
                            .append("' must be a number, got ").append(shown(value));
                    return null;
                }
            } else {
                if (!empty && !value.isTextual()) {
                    error.append("row ").append(rowNumber).append(": feature '").append(input.name())
                            .append("' is categorical and must be a string, got ").append(shown(value));
                    return null;
                }
                raw[j] = empty ? null : value.textValue();
            }
        }
        return raw;
    }

    /** A value as a message shows it: text as it is, anything else as JSON. */
    private static String shown(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
