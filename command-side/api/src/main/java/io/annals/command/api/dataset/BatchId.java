package io.annals.command.api.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.common.Ids;

/** The id of one immutable ingested batch of a dataset. */
public record BatchId(@JsonValue String value) {

    public BatchId {
        Ids.requireText("batch id", value);
    }

    @JsonCreator
    public static BatchId of(String value) {
        return new BatchId(value);
    }

    public static BatchId random() {
        return new BatchId(java.util.UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
