package io.annals.command.api.dataset;

import io.annals.command.api.model.ModelVersionView;
import io.annals.command.api.trainingrun.TrainingRunView;
import java.util.List;

/** What a batch touched: the runs that read it, the versions they made, and the endpoints that served those. */
public record BatchImpact(BatchView batch, List<TrainingRunView> runs, List<ModelVersionView> modelVersions,
                          List<EndpointImpact> endpoints) {

    /** An endpoint that served a version made from the batch: in which revisions, and whether it still does. */
    public record EndpointImpact(String endpoint, boolean servingNow, List<Integer> revisions) {
    }
}
