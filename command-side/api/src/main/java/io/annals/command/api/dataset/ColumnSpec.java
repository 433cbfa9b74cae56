package io.annals.command.api.dataset;

import io.annals.command.api.common.Ids;
import java.util.Objects;

public record ColumnSpec(String name, ColumnType type, boolean nullable) {

    public ColumnSpec {
        Ids.requireText("column name", name);
        Objects.requireNonNull(type, () -> "column '" + name + "' has no type");
    }
}
