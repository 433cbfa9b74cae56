package io.annals.command.api.dataset;

/** "What did this batch touch?": the runs that read it, the model versions they made, the endpoints that served them. */
public record FindBatchImpact(BatchId batchId) {
}
