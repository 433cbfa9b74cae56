package io.annals.workers.training;

import io.annals.command.api.trainingrun.Task;
import io.annals.workers.ingest.CsvReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Feature rows and labels read from one or more batch files, in the order of the run's features. */
public final class TrainingData {

    private final List<float[]> rows = new ArrayList<>();
    private final List<Float> labels = new ArrayList<>();
    private final List<String> features;
    private final String label;
    private final Task task;

    public TrainingData(List<String> features, String label, Task task) {
        this.features = List.copyOf(features);
        this.label = label;
        this.task = task;
    }

    /** Adds the rows of one CSV batch; rows with an empty feature or label are skipped. */
    public void addCsv(Reader csv, String source) throws IOException {
        CsvReader reader = new CsvReader(csv);
        List<String> header = reader.next();
        if (header == null) {
            throw new IllegalArgumentException(source + " is empty");
        }
        int[] featureIndex = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            featureIndex[i] = indexOf(header, features.get(i), source);
        }
        int labelIndex = indexOf(header, label, source);
        for (List<String> record = reader.next(); record != null; record = reader.next()) {
            float[] row = new float[featureIndex.length];
            boolean complete = true;
            for (int i = 0; i < featureIndex.length && complete; i++) {
                String raw = record.get(featureIndex[i]);
                complete = !raw.isEmpty();
                if (complete) {
                    row[i] = parse(raw);
                }
            }
            String rawLabel = record.get(labelIndex);
            if (!complete || rawLabel.isEmpty()) {
                continue;
            }
            float y = parse(rawLabel);
            if (task == Task.BINARY_CLASSIFICATION && y != 0f && y != 1f) {
                throw new IllegalArgumentException(source + " record " + reader.recordNumber() + ": label '" + label
                        + "' is " + rawLabel + "; binary classification needs 0 or 1");
            }
            rows.add(row);
            labels.add(y);
        }
    }

    private static int indexOf(List<String> header, String column, String source) {
        int index = header.stream().map(String::trim).toList().indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(source + " has no column '" + column + "'");
        }
        return index;
    }

    private static float parse(String raw) {
        return switch (raw.trim().toLowerCase()) {
            case "true" -> 1f;
            case "false" -> 0f;
            default -> Float.parseFloat(raw.trim());
        };
    }

    public int size() {
        return rows.size();
    }

    public float[] row(int i) {
        return rows.get(i);
    }

    public float label(int i) {
        return labels.get(i);
    }

    public List<String> features() {
        return features;
    }

    public Task task() {
        return task;
    }
}
