package io.annals.command.api.dataset;

/**
 * A partition now points at {@code batchId}, an earlier batch of it, instead of {@code replaced}; both batches stay
 * on record. What reads the partition from here on (training sets, pipelines) reads {@code batchId}.
 */
public record DatasetPartitionRepointed(DatasetName dataset, String partition, BatchId batchId, BatchId replaced,
                                        String reason) {
}
