package io.annals.workers.training;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.ingest.CsvReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Raw feature rows and labels read from one or more batch files, in the order of the run's features: a numeric
 * feature as a {@code Float} (NaN when empty), a categorical (STRING) one as a {@code String} (null when empty). A row
 * is left out when its label is empty, or when a numeric feature its run declared never empty is empty (runs
 * recorded before columns were kept). A multi-class label is a class: the classes are every distinct label value,
 * in numeric order when all are integers, otherwise in text order.
 */
public final class TrainingData {

    private final List<Object[]> rows = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<String> features;
    private final List<FeatureEncoder.Kind> kinds = new ArrayList<>();
    private final List<Boolean> nullable = new ArrayList<>();
    private final String label;
    private final Task task;
    private List<String> classes;
    private Map<String, Integer> classIndex;

    /** A run's data; {@code columns} is the run's feature columns then its label, or null for all numeric. */
    public TrainingData(List<String> features, String label, Task task, List<ColumnSpec> columns) {
        this.features = List.copyOf(features);
        this.label = label;
        this.task = task;
        for (int i = 0; i < features.size(); i++) {
            ColumnSpec spec = columns == null ? null : columns.get(i);
            kinds.add(spec != null && spec.type() == ColumnType.STRING ? FeatureEncoder.Kind.CATEGORICAL
                    : FeatureEncoder.Kind.NUMERIC);
            nullable.add(spec != null && spec.nullable());
        }
    }

    public TrainingData(List<String> features, String label, Task task) {
        this(features, label, task, null);
    }

    /** Adds the rows of one CSV batch. */
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
            Object[] row = new Object[featureIndex.length];
            boolean usable = true;
            for (int i = 0; i < featureIndex.length && usable; i++) {
                String raw = record.get(featureIndex[i]);
                if (kinds.get(i) == FeatureEncoder.Kind.CATEGORICAL) {
                    row[i] = raw.isEmpty() ? null : raw;
                } else if (raw.isEmpty()) {
                    usable = nullable.get(i);
                    row[i] = Float.NaN;
                } else {
                    row[i] = parse(raw);
                }
            }
            String rawLabel = record.get(labelIndex).trim();
            if (!usable || rawLabel.isEmpty()) {
                continue;
            }
            if (task == Task.BINARY_CLASSIFICATION) {
                float y = parse(rawLabel);
                if (y != 0f && y != 1f) {
                    throw new IllegalArgumentException(source + " record " + reader.recordNumber() + ": label '"
                            + label + "' is " + rawLabel + "; binary classification needs 0 or 1");
                }
            }
            rows.add(row);
            labels.add(rawLabel);
        }
        classes = null;
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

    /** The raw values of row {@code i} (see the class comment). */
    public Object[] raw(int i) {
        return rows.get(i);
    }

    /** The label of row {@code i}: 0 or 1, a number, or the index of its class in {@link #classes()}. */
    public float label(int i) {
        if (task == Task.MULTICLASS_CLASSIFICATION) {
            classes();
            return classIndex.get(labels.get(i));
        }
        return parse(labels.get(i));
    }

    /**
     * Labels are read as the classes of a trained model, in its order, instead of the classes found in this data; a
     * label that is not one of them is refused when read.
     */
    public void useClasses(List<String> modelClasses) {
        classes = List.copyOf(modelClasses);
        classIndex = classes.stream().collect(Collectors.toMap(Function.identity(), classes::indexOf));
        for (String l : labels) {
            if (!classIndex.containsKey(l)) {
                throw new IllegalArgumentException("label value '" + l + "' is not one of the model's classes "
                        + classes);
            }
        }
    }

    /** The classes of a multi-class task, in order; empty for other tasks. */
    public List<String> classes() {
        if (task != Task.MULTICLASS_CLASSIFICATION) {
            return List.of();
        }
        if (classes == null) {
            boolean integers = labels.stream().allMatch(l -> l.matches("-?\\d{1,18}"));
            Comparator<String> order = integers ? Comparator.comparingLong(Long::parseLong)
                    : Comparator.naturalOrder();
            TreeSet<String> sorted = new TreeSet<>(order);
            sorted.addAll(labels);
            classes = List.copyOf(sorted);
            classIndex = classes.stream().collect(Collectors.toMap(Function.identity(), classes::indexOf));
        }
        return classes;
    }

    public List<String> features() {
        return features;
    }

    /** The reference profile of some of these rows' inputs (raw rows, as {@link #raw} gives them). */
    public io.annals.command.api.common.InputProfile profile(List<Object[]> rows) {
        return io.annals.workers.drift.InputProfiles.of(features, kinds.stream()
                .map(k -> k == FeatureEncoder.Kind.NUMERIC).toList(), rows);
    }

    /** Every row read, raw. */
    public List<Object[]> rows() {
        return java.util.Collections.unmodifiableList(rows);
    }

    public List<FeatureEncoder.Kind> kinds() {
        return kinds;
    }

    public List<Boolean> nullable() {
        return nullable;
    }

    public Task task() {
        return task;
    }
}
