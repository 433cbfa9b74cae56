package io.annals.command.api.pipeline;

import io.annals.command.api.trainingrun.BatchRef;
import java.util.Objects;

/**
 * Why a pipeline runs: a person asked ({@code MANUAL}, with a note), a batch was ingested into an input partition
 * ({@code NEW_BATCH}), or an input partition was re-pointed at another batch ({@code REPOINT}). {@code event} is the
 * id of the event that caused it, so that the same event delivered twice triggers once. Who caused it is the actor
 * of the event that records the trigger.
 */
public record PipelineCause(Kind kind, BatchRef batch, String partition, String note, String event) {

    public enum Kind { MANUAL, NEW_BATCH, REPOINT }

    public PipelineCause {
        Objects.requireNonNull(kind, "a cause needs a kind");
        if (kind != Kind.MANUAL && (batch == null || partition == null || event == null)) {
            throw new IllegalArgumentException("a " + kind + " cause names its batch, partition and event");
        }
    }

    public static PipelineCause manual(String note) {
        return new PipelineCause(Kind.MANUAL, null, null, note, null);
    }
}
