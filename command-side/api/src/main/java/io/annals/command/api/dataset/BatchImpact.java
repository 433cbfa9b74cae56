package io.annals.command.api.dataset;

import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.TrainingRunView;
import io.annals.command.api.trainingset.TrainingSetView;
import java.util.List;

/**
 * What a batch touched: the training sets that read it (as source or labels), the runs that read it or one of those
 * training sets, the versions they made, and the endpoints that served those.
 */
public record BatchImpact(BatchView batch, List<TrainingSetView> trainingSets, List<TrainingRunView> runs,
                          List<ModelVersionView> modelVersions, List<EndpointImpact> endpoints) {

    /** An endpoint that served a version made from the batch: in which revisions, and whether it still does. */
    public record EndpointImpact(String endpoint, boolean servingNow, List<Integer> revisions) {
    }
}
