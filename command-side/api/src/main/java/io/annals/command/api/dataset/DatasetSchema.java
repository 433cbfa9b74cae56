package io.annals.command.api.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The typed columns every batch of a dataset must have, in order. */
public record DatasetSchema(List<ColumnSpec> columns) {

    public DatasetSchema {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a dataset schema needs at least one column");
        }
        var seen = new HashSet<String>();
        for (ColumnSpec c : columns) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("column '" + c.name() + "' appears twice in the schema");
            }
        }
        columns = List.copyOf(columns);
    }

    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
