package io.annals.workers.features;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.workers.ingest.CsvReader;
import io.annals.workers.ingest.RowValidator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time-correct training set: for each label row (entity keys, time {@code t}, label), each feature is
 * computed from the source rows with the same keys and an event time {@code t_e} with {@code t - window < t_e <= t}
 * (no lower bound without a window). Both sides are sorted by entity and time on disk ({@link ExternalSorter}), then
 * merged in one pass; the results are sorted back into the labels' order and written as CSV. Memory holds a bounded
 * number of rows per sort and one entity's window per feature, whatever the number of source rows.
 */
public final class PointInTimeJoin {

    /** Told how far the join is: a phase, and rows done of rows in all (0 when not known yet). */
    public interface Progress {
        void report(String phase, long done, long total);

        Progress NONE = (phase, done, total) -> { };
    }

    /** What the join wrote: rows, and the statistics of each output column (as ingest computes them). */
    public record Output(long rows, List<ColumnStatistics> statistics) {
    }

    private static final String KEY_SEPARATOR = "\u0000";
    private static final long REPORT_EVERY = 100_000;

    private final JoinSpec spec;
    private final Path workDir;
    private final int maxInMemory;
    private final Progress progress;
    /** The source columns the features read, each once, in the order first used. */
    private final List<String> valueColumns;
    private final int[] featureValue;

    /**
     * @param maxInMemory rows held in memory by each sort before it spills a run to {@code workDir}
     */
    public PointInTimeJoin(JoinSpec spec, Path workDir, int maxInMemory, Progress progress) {
        this.spec = spec;
        this.workDir = workDir;
        this.maxInMemory = maxInMemory;
        this.progress = progress;
        Map<String, Integer> columns = new LinkedHashMap<>();
        featureValue = new int[spec.features().size()];
        for (int i = 0; i < featureValue.length; i++) {
            featureValue[i] = columns.computeIfAbsent(spec.features().get(i).column(), c -> columns.size());
        }
        valueColumns = List.copyOf(columns.keySet());
    }

    private record SourceRow(String key, long time, int batch, long row, String[] values) {
    }

    private record LabelRow(String key, Long time, long index, String[] cells) {
    }

    private record Result(long index, String[] cells) {
    }

    /**
     * @param sources the source batches' CSV files, in the order they were ingested (a later batch wins a tie)
     * @param labels  the label batches' CSV files, in the order their rows are written out
     */
    public Output run(List<Path> sources, List<Path> labels, Path output) throws IOException {
        try (ExternalSorter<SourceRow> sourceSort = new ExternalSorter<>(workDir, SOURCE_CODEC, SOURCE_ORDER,
                maxInMemory);
             ExternalSorter<LabelRow> labelSort = new ExternalSorter<>(workDir, LABEL_CODEC, LABEL_ORDER,
                     maxInMemory);
             ExternalSorter<Result> resultSort = new ExternalSorter<>(workDir, RESULT_CODEC,
                     Comparator.comparingLong(Result::index), maxInMemory)) {
            readSources(sources, sourceSort);
            readLabels(labels, labelSort);
            join(sourceSort.sorted(), labelSort.sorted(), labelSort.count(), resultSort);
            return write(resultSort.sorted(), resultSort.count(), output);
        }
    }

    private void readSources(List<Path> sources, ExternalSorter<SourceRow> sort) throws IOException {
        List<String> names = spec.sourceSchema().columns().stream().map(ColumnSpec::name).toList();
        int[] keys = spec.sourceKeys().stream().mapToInt(names::indexOf).toArray();
        ColumnType[] keyTypes = spec.sourceKeys().stream().map(spec::sourceType).toArray(ColumnType[]::new);
        int time = names.indexOf(spec.sourceTime());
        int[] values = valueColumns.stream().mapToInt(names::indexOf).toArray();
        for (int batch = 0; batch < sources.size(); batch++) {
            try (BufferedReader in = Files.newBufferedReader(sources.get(batch), StandardCharsets.UTF_8)) {
                CsvReader csv = new CsvReader(in);
                requireHeader(csv.next(), names, "source batch " + (batch + 1));
                long row = 0;
                for (List<String> fields = csv.next(); fields != null; fields = csv.next()) {
                    row++;
                    String key = key(fields, keys, keyTypes);
                    Long t = Cells.time(fields.get(time));
                    if (key == null || t == null) {
                        continue; // a row without an entity or a time belongs to no point in time
                    }
                    String[] cells = new String[values.length];
                    for (int i = 0; i < values.length; i++) {
                        cells[i] = fields.get(values[i]);
                    }
                    sort.add(new SourceRow(key, t, batch, row, cells));
                    if (sort.count() % REPORT_EVERY == 0) {
                        progress.report("reading source rows", sort.count(), 0);
                    }
                }
            }
        }
        progress.report("reading source rows", sort.count(), sort.count());
    }

    private void readLabels(List<Path> labels, ExternalSorter<LabelRow> sort) throws IOException {
        List<String> names = spec.labelSchema().columns().stream().map(ColumnSpec::name).toList();
        int[] keys = spec.labelKeys().stream().mapToInt(names::indexOf).toArray();
        ColumnType[] keyTypes = spec.labelKeys().stream().map(spec::labelType).toArray(ColumnType[]::new);
        int time = names.indexOf(spec.labelTime());
        int label = names.indexOf(spec.labelColumn());
        ColumnType labelType = spec.labelType(spec.labelColumn());
        long index = 0;
        for (int batch = 0; batch < labels.size(); batch++) {
            try (BufferedReader in = Files.newBufferedReader(labels.get(batch), StandardCharsets.UTF_8)) {
                CsvReader csv = new CsvReader(in);
                requireHeader(csv.next(), names, "label batch " + (batch + 1));
                for (List<String> fields = csv.next(); fields != null; fields = csv.next()) {
                    // the row as written out: keys, time, label (canonical), then room for the features
                    String[] cells = new String[keys.length + 2 + spec.features().size()];
                    Arrays.fill(cells, "");
                    for (int i = 0; i < keys.length; i++) {
                        String raw = fields.get(keys[i]);
                        cells[i] = raw.isEmpty() ? "" : Cells.canonical(keyTypes[i], raw);
                    }
                    String rawTime = fields.get(time);
                    cells[keys.length] = rawTime.isEmpty() ? "" : Cells.canonical(ColumnType.TIMESTAMP, rawTime);
                    String rawLabel = fields.get(label);
                    cells[keys.length + 1] = rawLabel.isEmpty() ? "" : Cells.canonical(labelType, rawLabel);
                    sort.add(new LabelRow(key(fields, keys, keyTypes), Cells.time(rawTime), index++, cells));
                }
            }
        }
        progress.report("reading labels", index, index);
    }

    private static void requireHeader(List<String> header, List<String> expected, String what) {
        if (header == null || !header.stream().map(String::trim).toList().equals(expected)) {
            throw new IllegalStateException(what + " has the header " + header + ", not the schema's " + expected);
        }
    }

    private static String key(List<String> fields, int[] keys, ColumnType[] types) {
        if (keys.length == 1) {
            return Cells.key(types[0], fields.get(keys[0]));
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < keys.length; i++) {
            String part = Cells.key(types[i], fields.get(keys[i]));
            if (part == null) {
                return null;
            }
            key.append(i == 0 ? "" : KEY_SEPARATOR).append(part);
        }
        return key.toString();
    }

    private void join(Iterator<SourceRow> sources, Iterator<LabelRow> labels, long labelCount,
                      ExternalSorter<Result> results) throws IOException {
        List<FeatureSpec> features = spec.features();
        FeatureWindow[] windows = new FeatureWindow[features.size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new FeatureWindow(features.get(i), spec.sourceType(features.get(i).column()));
        }
        int offset = spec.labelKeys().size() + 2;
        SourceRow source = sources.hasNext() ? sources.next() : null;
        String entity = null;
        long done = 0;
        while (labels.hasNext()) {
            LabelRow label = labels.next();
            if (label.key() == null || label.time() == null) {
                for (int i = 0; i < windows.length; i++) {
                    windows[i].reset();
                    label.cells()[offset + i] = orEmpty(windows[i].valueAt(Long.MIN_VALUE + 1));
                }
                entity = null;
            } else {
                if (!label.key().equals(entity)) {
                    entity = label.key();
                    for (FeatureWindow w : windows) {
                        w.reset();
                    }
                    while (source != null && source.key().compareTo(entity) < 0) {
                        source = sources.hasNext() ? sources.next() : null;
                    }
                }
                while (source != null && source.key().equals(entity) && source.time() <= label.time()) {
                    for (int i = 0; i < windows.length; i++) {
                        windows[i].add(source.time(), source.values()[featureValue[i]]);
                    }
                    source = sources.hasNext() ? sources.next() : null;
                }
                for (int i = 0; i < windows.length; i++) {
                    label.cells()[offset + i] = orEmpty(windows[i].valueAt(label.time()));
                }
            }
            results.add(new Result(label.index(), label.cells()));
            if (++done % REPORT_EVERY == 0) {
                progress.report("joining", done, labelCount);
            }
        }
        progress.report("joining", done, labelCount);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private Output write(Iterator<Result> results, long count, Path output) throws IOException {
        RowValidator check = new RowValidator(spec.outputSchema());
        List<String> header = spec.outputSchema().columns().stream().map(ColumnSpec::name).toList();
        check.header(header);
        long rows = 0;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8), 1 << 16)) {
            writeRow(out, header.toArray(String[]::new));
            while (results.hasNext()) {
                String[] cells = results.next().cells();
                check.row(Arrays.asList(cells)); // the output is a batch like any other: it must be valid
                writeRow(out, cells);
                if (++rows % REPORT_EVERY == 0) {
                    progress.report("writing", rows, count);
                }
            }
        }
        progress.report("writing", rows, count);
        return new Output(rows, check.statistics());
    }

    private static void writeRow(Writer out, String[] cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            String cell = cells[i];
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                out.write('"');
                out.write(cell.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(cell);
            }
        }
        out.write('\n');
    }

    // ---- the sorts' orders and the records' forms on disk

    private static final Comparator<SourceRow> SOURCE_ORDER = Comparator.comparing(SourceRow::key)
            .thenComparingLong(SourceRow::time).thenComparingInt(SourceRow::batch).thenComparingLong(SourceRow::row);

    private static final Comparator<LabelRow> LABEL_ORDER = Comparator.comparing(LabelRow::key,
                    Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(LabelRow::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(LabelRow::index);

    private static void writeCells(DataOutput out, String[] cells) throws IOException {
        out.writeShort(cells.length);
        for (String cell : cells) {
            writeText(out, cell);
        }
    }

    private static String[] readCells(DataInput in) throws IOException {
        String[] cells = new String[in.readUnsignedShort()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = readText(in);
        }
        return cells;
    }

    /** Text of any length (writeUTF stops at 64 KiB). */
    private static void writeText(DataOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static final ExternalSorter.Codec<SourceRow> SOURCE_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutput out, SourceRow r) throws IOException {
            writeText(out, r.key());
            out.writeLong(r.time());
            out.writeInt(r.batch());
            out.writeLong(r.row());
            writeCells(out, r.values());
        }

        @Override
        public SourceRow read(DataInput in) throws IOException {
            return new SourceRow(readText(in), in.readLong(), in.readInt(), in.readLong(), readCells(in));
        }
    };

    private static final ExternalSorter.Codec<LabelRow> LABEL_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutput out, LabelRow r) throws IOException {
            out.writeBoolean(r.key() != null);
            if (r.key() != null) {
                writeText(out, r.key());
            }
            out.writeBoolean(r.time() != null);
            if (r.time() != null) {
                out.writeLong(r.time());
            }
            out.writeLong(r.index());
            writeCells(out, r.cells());
        }

        @Override
        public LabelRow read(DataInput in) throws IOException {
            String key = in.readBoolean() ? readText(in) : null;
            Long time = in.readBoolean() ? in.readLong() : null;
            return new LabelRow(key, time, in.readLong(), readCells(in));
        }
    };

    private static final ExternalSorter.Codec<Result> RESULT_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutput out, Result r) throws IOException {
            out.writeLong(r.index());
            writeCells(out, r.cells());
        }

        @Override
        public Result read(DataInput in) throws IOException {
            return new Result(in.readLong(), readCells(in));
        }
    };
}
