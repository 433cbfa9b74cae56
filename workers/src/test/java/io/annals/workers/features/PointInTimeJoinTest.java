package io.annals.workers.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.featureset.Aggregation;
import io.annals.command.api.featureset.FeatureSpec;
import io.annals.workers.ingest.CsvReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointInTimeJoinTest {

    private static final DatasetSchema SOURCE = new DatasetSchema(List.of(
            new ColumnSpec("user", ColumnType.STRING, false), new ColumnSpec("at", ColumnType.TIMESTAMP, false),
            new ColumnSpec("amount", ColumnType.DOUBLE, true), new ColumnSpec("items", ColumnType.LONG, true),
            new ColumnSpec("fraud", ColumnType.BOOLEAN, true), new ColumnSpec("city", ColumnType.STRING, true),
            new ColumnSpec("seen", ColumnType.TIMESTAMP, true)));
    private static final DatasetSchema LABELS = new DatasetSchema(List.of(
            new ColumnSpec("uid", ColumnType.STRING, true), new ColumnSpec("when", ColumnType.TIMESTAMP, true),
            new ColumnSpec("churned", ColumnType.LONG, false)));

    @TempDir
    Path dir;

    @Test
    void givenRowsAroundEachLabel_whenJoined_thenEachFeatureSeesOnlyItsWindowUpToTheLabelTime() throws IOException {
        List<FeatureSpec> features = List.of(new FeatureSpec("spend_1h", "amount", Aggregation.SUM, "PT1H"),
                new FeatureSpec("orders", "amount", Aggregation.COUNT, null),
                new FeatureSpec("last_city", "city", Aggregation.LAST, null),
                new FeatureSpec("max_items_1d", "items", Aggregation.MAX, "P1D"));
        String batch1 = """
                user,at,amount,items,fraud,city,seen
                ann,2026-03-01T10:00:00Z,10.0,1,false,paris,
                ann,2026-03-01T11:30:00Z,5.5,3,false,lyon,
                bob,2026-03-01T09:00:00Z,7,2,true,rome,
                """;
        String batch2 = """
                user,at,amount,items,fraud,city,seen
                ann,2026-03-01T11:30:00Z,,4,,nice,
                ann,2026-03-01T12:00:01Z,100,9,false,oslo,
                """;
        String labels = """
                uid,when,churned
                ann,2026-03-01T12:00:00Z,1
                bob,2026-03-01T08:59:59Z,0
                carl,2026-03-01T12:00:00Z,0
                ann,2026-03-01T10:00:00Z,0
                ,2026-03-01T12:00:00Z,1
                """;
        assertThat(join(features, List.of(batch1, batch2), List.of(labels), 2)).containsExactly(
                List.of("uid", "when", "churned", "spend_1h", "orders", "last_city", "max_items_1d"),
                // 11:30 (5.5) and the later batch's 11:30 (empty amount) are inside (11:00, 12:00]; the later batch
                // wins the tie for LAST; 12:00:01 is after the label
                List.of("ann", "2026-03-01T12:00:00Z", "1", "5.5", "2", "nice", "4"),
                // before bob's only row: nothing yet
                List.of("bob", "2026-03-01T08:59:59Z", "0", "0.0", "0", "", ""),
                // no history at all
                List.of("carl", "2026-03-01T12:00:00Z", "0", "0.0", "0", "", ""),
                // a row exactly at the label time counts (t_e <= t)
                List.of("ann", "2026-03-01T10:00:00Z", "0", "10.0", "1", "paris", "1"),
                List.of("", "2026-03-01T12:00:00Z", "1", "0.0", "0", "", ""));
    }

    @Test
    void givenRandomHistories_whenJoinedWithSpilling_thenEveryCellAgreesWithABruteForceScan() throws IOException {
        for (int trial = 0; trial < 150; trial++) {
            Random random = new Random(trial);
            List<FeatureSpec> features = randomFeatures(random);
            List<String> batches = new ArrayList<>();
            for (int b = 0, n = 1 + random.nextInt(3); b < n; b++) {
                batches.add(randomSource(random, random.nextInt(40)));
            }
            List<String> labels = List.of(randomLabels(random, 1 + random.nextInt(30)),
                    randomLabels(random, random.nextInt(10)));
            int maxInMemory = 1 + random.nextInt(8);
            assertThat(join(features, batches, labels, maxInMemory)).as("trial %d, features %s", trial, features)
                    .isEqualTo(oracle(features, batches, labels));
        }
    }

    // ---- the join under test, and the oracle: for each label row, scan every source row

    private List<List<String>> join(List<FeatureSpec> features, List<String> sources, List<String> labels,
                                    int maxInMemory) throws IOException {
        JoinSpec spec = new JoinSpec(SOURCE, List.of("user"), "at", features, LABELS, List.of("uid"), "when",
                "churned", outputSchema(features));
        List<Path> sourceFiles = write("source", sources);
        List<Path> labelFiles = write("labels", labels);
        Path out = Files.createTempFile(dir, "out", ".csv");
        PointInTimeJoin.Output result = new PointInTimeJoin(spec, dir, maxInMemory, PointInTimeJoin.Progress.NONE)
                .run(sourceFiles, labelFiles, out);
        List<List<String>> rows = read(Files.readString(out));
        assertThat(result.rows()).isEqualTo(rows.size() - 1);
        try (var left = Files.list(dir)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("sort-run-"))).as("runs removed")
                    .isEmpty();
        }
        return rows;
    }

    private static DatasetSchema outputSchema(List<FeatureSpec> features) {
        List<ColumnSpec> columns = new ArrayList<>(LABELS.columns());
        for (FeatureSpec f : features) {
            ColumnType type = SOURCE.column(f.column()).orElseThrow().type();
            columns.add(new ColumnSpec(f.name(), f.aggregation().outputType(type), !f.aggregation().alwaysHasValue()));
        }
        return new DatasetSchema(columns);
    }

    private record Row(String key, Instant time, int batch, int row, List<String> cells) {
    }

    private static List<List<String>> oracle(List<FeatureSpec> features, List<String> sources, List<String> labels) {
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < sources.size(); b++) {
            List<List<String>> lines = read(sources.get(b));
            for (int r = 1; r < lines.size(); r++) {
                List<String> cells = lines.get(r);
                rows.add(new Row(cells.get(0), Instant.parse(cells.get(1)), b, r, cells));
            }
        }
        List<List<String>> out = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("uid", "when", "churned"));
        features.forEach(f -> header.add(f.name()));
        out.add(header);
        for (String batch : labels) {
            List<List<String>> lines = read(batch);
            for (List<String> label : lines.subList(1, lines.size())) {
                List<String> row = new ArrayList<>(List.of(label.get(0),
                        label.get(1).isEmpty() ? "" : Instant.parse(label.get(1)).toString(), label.get(2)));
                for (FeatureSpec f : features) {
                    List<Row> matching = label.get(0).isEmpty() || label.get(1).isEmpty() ? List.of()
                            : rows.stream().filter(s -> s.key().equals(label.get(0))
                            && inWindow(s.time(), Instant.parse(label.get(1)), f.windowDuration())).toList();
                    row.add(aggregate(f, matching));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static boolean inWindow(Instant event, Instant t, Duration window) {
        return !event.isAfter(t) && (window == null || event.isAfter(t.minus(window)));
    }

    private static String aggregate(FeatureSpec f, List<Row> rows) {
        int column = SOURCE.columns().indexOf(SOURCE.column(f.column()).orElseThrow());
        ColumnType type = SOURCE.columns().get(column).type();
        if (f.aggregation() == Aggregation.LAST) {
            return rows.stream().max(Comparator.comparing(Row::time).thenComparingInt(Row::batch)
                    .thenComparingInt(Row::row)).map(r -> r.cells().get(column))
                    .map(raw -> raw.isEmpty() ? "" : Cells.canonical(type, raw)).orElse("");
        }
        List<String> values = rows.stream().map(r -> r.cells().get(column)).filter(v -> !v.isEmpty()).toList();
        switch (f.aggregation()) {
            case COUNT:
                return Integer.toString(values.size());
            case SUM: {
                BigDecimal sum = values.stream().map(v -> Cells.number(type, v)).reduce(BigDecimal.ZERO,
                        BigDecimal::add);
                return Cells.format(f.aggregation().outputType(type), sum);
            }
            case MEAN: {
                if (values.isEmpty()) {
                    return "";
                }
                BigDecimal sum = values.stream().map(v -> Cells.number(type, v)).reduce(BigDecimal.ZERO,
                        BigDecimal::add);
                return Double.toString(sum.divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128)
                        .doubleValue());
            }
            default: {
                Comparator<BigDecimal> order = Comparator.naturalOrder();
                return values.stream().map(v -> Cells.number(type, v))
                        .reduce((a, b) -> f.aggregation() == Aggregation.MIN
                                ? (order.compare(a, b) <= 0 ? a : b) : (order.compare(a, b) >= 0 ? a : b))
                        .map(v -> Cells.format(type, v)).orElse("");
            }
        }
    }

    // ---- random data: few keys and few distinct instants, so that ties and empty windows are common

    private static final String[] KEYS = {"ann", "bob", "cat", "dan"};
    private static final String[] LABEL_KEYS = {"ann", "bob", "cat", "dan", "eve", ""};
    private static final Instant ORIGIN = Instant.parse("2026-03-01T00:00:00Z");
    private static final String[] WINDOWS = {null, null, "PT1H", "PT30M", "PT2H", "P1D", "PT1S"};

    private static List<FeatureSpec> randomFeatures(Random random) {
        String[] columns = {"amount", "items", "fraud", "city", "seen"};
        List<FeatureSpec> features = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            String column = columns[random.nextInt(columns.length)];
            ColumnType type = SOURCE.column(column).orElseThrow().type();
            List<Aggregation> possible = List.of(Aggregation.values()).stream().filter(a -> a.accepts(type)).toList();
            features.add(new FeatureSpec("f" + i, column, possible.get(random.nextInt(possible.size())),
                    WINDOWS[random.nextInt(WINDOWS.length)]));
        }
        return features;
    }

    private static Instant randomTime(Random random) {
        return ORIGIN.plusSeconds(60L * 15 * random.nextInt(12));
    }

    private static String randomSource(Random random, int rows) {
        StringBuilder csv = new StringBuilder("user,at,amount,items,fraud,city,seen\n");
        for (int i = 0; i < rows; i++) {
            csv.append(KEYS[random.nextInt(KEYS.length)]).append(',').append(randomTime(random)).append(',')
                    .append(random.nextInt(5) == 0 ? "" : Double.toString(Math.round(random.nextGaussian() * 1e4)
                            / 100.0 + (random.nextBoolean() ? 0.1 : 0))).append(',')
                    .append(random.nextInt(5) == 0 ? "" : Integer.toString(random.nextInt(200) - 50)).append(',')
                    .append(random.nextInt(5) == 0 ? "" : random.nextBoolean() ? "true" : "0").append(',')
                    .append(random.nextInt(4) == 0 ? "" : "\"c, " + random.nextInt(4) + "\"").append(',')
                    .append(random.nextInt(4) == 0 ? "" : randomTime(random).toString()).append('\n');
        }
        return csv.toString();
    }

    private static String randomLabels(Random random, int rows) {
        StringBuilder csv = new StringBuilder("uid,when,churned\n");
        for (int i = 0; i < rows; i++) {
            Instant t = random.nextInt(8) == 0 ? ORIGIN.minusSeconds(3600) : randomTime(random)
                    .plusSeconds(random.nextInt(3) == 0 ? 1 : 0);
            csv.append(LABEL_KEYS[random.nextInt(LABEL_KEYS.length)]).append(',')
                    .append(random.nextInt(15) == 0 ? "" : t.toString()).append(',').append(random.nextInt(2))
                    .append('\n');
        }
        return csv.toString();
    }

    private List<Path> write(String prefix, List<String> files) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String content : files) {
            Path p = Files.createTempFile(dir, prefix, ".csv");
            Files.writeString(p, content);
            paths.add(p);
        }
        return paths;
    }

    private static List<List<String>> read(String csv) {
        try {
            CsvReader reader = new CsvReader(new StringReader(csv));
            List<List<String>> rows = new ArrayList<>();
            for (List<String> row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
