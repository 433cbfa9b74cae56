package io.annals.workers.port;

import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import java.util.Optional;

/** The schema a dataset was registered with, as the command side knows it now. */
public interface DatasetSchemas {

    Optional<DatasetSchema> schema(DatasetName dataset);
}
