package io.annals.command.api.dataset;

/** "What did this batch touch?"; answers an {@code Optional<BatchImpact>}. */
public record FindBatchImpact(BatchId batchId) {
}
