package io.annals.command.api.common;

import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.drift.DriftAlertId;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.featureset.FeatureSetName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingset.TrainingSetId;

/**
 * The id of one entity's stream in the event log and the key of its records on {@code annals.events}:
 * {@code <kind>:<name>}, for example {@code model:loans}. Public names stay plain; only the log qualifies them.
 */
public record StreamId(EntityKind kind, String name) {

    public StreamId {
        if (kind == null) {
            throw new IllegalArgumentException("a stream id needs a kind");
        }
        Ids.requireText(kind.prefix() + " id", name);
    }

    /** The stream of the entity a typed id names. */
    public static StreamId of(Object typedId) {
        if (typedId instanceof DatasetName d) {
            return new StreamId(EntityKind.DATASET, d.value());
        }
        if (typedId instanceof ModelName m) {
            return new StreamId(EntityKind.MODEL, m.value());
        }
        if (typedId instanceof EndpointName e) {
            return new StreamId(EntityKind.ENDPOINT, e.value());
        }
        if (typedId instanceof TrainingRunId r) {
            return new StreamId(EntityKind.TRAINING_RUN, r.value());
        }
        if (typedId instanceof DriftAlertId a) {
            return new StreamId(EntityKind.DRIFT_ALERT, a.value());
        }
        if (typedId instanceof FeatureSetName f) {
            return new StreamId(EntityKind.FEATURE_SET, f.value());
        }
        if (typedId instanceof TrainingSetId t) {
            return new StreamId(EntityKind.TRAINING_SET, t.value());
        }
        if (typedId instanceof io.annals.command.api.webhook.WebhookId w) {
            return new StreamId(EntityKind.WEBHOOK, w.value());
        }
        if (typedId instanceof io.annals.command.api.webhook.WebhookDeliveryId d) {
            return new StreamId(EntityKind.WEBHOOK_DELIVERY, d.value());
        }
        if (typedId instanceof io.annals.command.api.pipeline.PipelineName p) {
            return new StreamId(EntityKind.PIPELINE, p.value());
        }
        if (typedId instanceof Actor principal) {
            return new StreamId(EntityKind.ACCESS, principal.value());
        }
        throw new IllegalArgumentException((typedId == null ? "null" : typedId.getClass().getSimpleName())
                + " is not the id of an entity with a stream");
    }

    /** Reads {@code <kind>:<name>}. */
    public static StreamId parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a stream id (<kind>:<name>)");
        }
        return new StreamId(EntityKind.ofPrefix(text.substring(0, colon)), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return kind.prefix() + ":" + name;
    }
}
