package io.annals.command.api.endpoint;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.model.ImportedModel;
import io.annals.command.api.model.ModelName;
import java.util.List;

/**
 * One model version serving a share of an endpoint's traffic, with what the server needs to load it: a trained
 * version's artifact, or an imported one's file and signature ({@code imported}, null for trained versions). A
 * {@code shadow} target answers nobody: {@code trafficPercent} is the share of requests mirrored to it (and false in
 * revisions recorded before shadows existed).
 */
public record ServingTarget(ModelName model, int version, int trafficPercent, ArtifactRef artifact,
                            List<String> features, ImportedModel imported, boolean shadow) {

    public ServingTarget(ModelName model, int version, int trafficPercent, ArtifactRef artifact,
                         List<String> features, ImportedModel imported) {
        this(model, version, trafficPercent, artifact, features, imported, false);
    }

    public ServingTarget(ModelName model, int version, int trafficPercent, ArtifactRef artifact,
                         List<String> features) {
        this(model, version, trafficPercent, artifact, features, null, false);
    }

    /** The same version with another share of traffic (and the same role, live or shadow). */
    public ServingTarget withTrafficPercent(int percent) {
        return new ServingTarget(model, version, percent, artifact, features, imported, shadow);
    }

    /** Whether this is the given model version. */
    public boolean is(ModelName otherModel, int otherVersion) {
        return model.equals(otherModel) && version == otherVersion;
    }
}
