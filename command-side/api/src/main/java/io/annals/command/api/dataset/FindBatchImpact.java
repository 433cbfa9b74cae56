package io.annals.command.api.dataset;

import java.util.Set;

/**
 * "What did this batch touch?"; answers an {@code Optional<BatchImpact>}. A batch read by thousands of runs makes a
 * large answer, so a client may say which fields of the runs and model versions it needs (null: every field) and
 * whether it needs the endpoints; what it leaves out is null or empty in the answer and costs nothing.
 */
public record FindBatchImpact(BatchId batchId, Set<String> runFields, Set<String> versionFields,
                              boolean withEndpoints) {

    public FindBatchImpact {
        runFields = runFields == null ? null : Set.copyOf(runFields);
        versionFields = versionFields == null ? null : Set.copyOf(versionFields);
    }

    /** Everything. */
    public FindBatchImpact(BatchId batchId) {
        this(batchId, null, null, true);
    }
}
