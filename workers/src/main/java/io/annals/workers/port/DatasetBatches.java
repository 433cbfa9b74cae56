package io.annals.workers.port;

import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.util.Optional;

/** Where a dataset's batch is stored and the digest it must have, as the command side knows it now. */
public interface DatasetBatches {

    Optional<BatchInput> batch(BatchRef batch);
}
