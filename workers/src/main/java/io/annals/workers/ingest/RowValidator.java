package io.annals.workers.ingest;

import io.annals.command.api.dataset.ColumnSpec;
import io.annals.command.api.dataset.ColumnStatistics;
import io.annals.command.api.dataset.ColumnType;
import io.annals.command.api.dataset.DatasetSchema;
import java.util.ArrayList;
import java.util.List;

/** Checks CSV records against a schema, row by row, and gathers each column's statistics on the way. */
public final class RowValidator {

    private final DatasetSchema schema;
    private final List<ColumnAccumulator> columns = new ArrayList<>();
    private long rows;

    public RowValidator(DatasetSchema schema) {
        this.schema = schema;
        schema.columns().forEach(c -> columns.add(new ColumnAccumulator(c)));
    }

    public void header(List<String> names) {
        List<String> expected = schema.columns().stream().map(ColumnSpec::name).toList();
        List<String> trimmed = names.stream().map(String::trim).toList();
        if (!trimmed.equals(expected)) {
            throw new InvalidBatchException(0, null, "header " + trimmed + " does not match the schema's columns "
                    + expected);
        }
    }

    public void row(List<String> fields) {
        rows++;
        if (fields.size() != columns.size()) {
            throw new InvalidBatchException(rows, null, "row " + rows + " has " + fields.size()
                    + " fields, the schema has " + columns.size() + " columns");
        }
        for (int i = 0; i < fields.size(); i++) {
            ColumnSpec spec = schema.columns().get(i);
            String raw = fields.get(i);
            ColumnAccumulator acc = columns.get(i);
            if (raw.isEmpty()) {
                if (!spec.nullable()) {
                    throw new InvalidBatchException(rows, spec.name(), "row " + rows + ", column '" + spec.name()
                            + "': empty, but the column is not nullable");
                }
                acc.addNull();
                continue;
            }
            switch (spec.type()) {
                case STRING -> acc.addText();
                case DOUBLE -> acc.add(require(CsvValues.toDouble(raw), raw, spec));
                case LONG -> acc.add(require(CsvValues.toLong(raw), raw, spec));
                case BOOLEAN -> acc.add(require(CsvValues.toBoolean(raw), raw, spec) ? 1 : 0);
                case TIMESTAMP -> acc.addInstant(require(CsvValues.toInstant(raw), raw, spec));
            }
        }
    }

    private <V> V require(V value, String raw, ColumnSpec spec) {
        if (value == null) {
            throw typeError(raw, spec);
        }
        return value;
    }

    private InvalidBatchException typeError(String raw, ColumnSpec spec) {
        String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return new InvalidBatchException(rows, spec.name(), "row " + rows + ", column '" + spec.name() + "': '"
                + shown + "' is not a " + spec.type() + (spec.type() == ColumnType.TIMESTAMP
                ? " (an ISO-8601 instant with a zone, such as 2026-03-01T12:00:00Z)" : ""));
    }

    public long rows() {
        return rows;
    }

    public List<ColumnStatistics> statistics() {
        return columns.stream().map(ColumnAccumulator::result).toList();
    }
}
