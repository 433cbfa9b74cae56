package io.annals.command.api.endpoint;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.model.ImportedModel;
import io.annals.command.api.model.ModelName;
import java.util.List;

/**
 * One model version serving a share of an endpoint's traffic, with what the server needs to load it: a trained
 * version's artifact, or an imported one's file and signature ({@code imported}, null for trained versions).
 */
public record ServingTarget(ModelName model, int version, int trafficPercent, ArtifactRef artifact,
                            List<String> features, ImportedModel imported) {

    public ServingTarget(ModelName model, int version, int trafficPercent, ArtifactRef artifact,
                         List<String> features) {
        this(model, version, trafficPercent, artifact, features, null);
    }
}
