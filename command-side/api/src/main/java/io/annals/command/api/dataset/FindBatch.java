package io.annals.command.api.dataset;

/** One batch; answers an {@code Optional<BatchView>}. */
public record FindBatch(BatchId batchId) {
}
