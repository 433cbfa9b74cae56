package io.annals.command.api.model;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.Positioned;
import io.annals.command.api.common.ScoreBaseline;
import io.annals.command.api.trainingrun.Metric;
import io.annals.command.api.trainingrun.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One registered version of a model: the run it came from, its artifact, metrics and the aliases on it. */
public record ModelVersionView(String model, int version, String runId, Task task, List<String> features,
                               ArtifactRef artifact, List<Metric> metrics, ScoreBaseline baseline,
                               List<String> aliases, Instant registeredAt, Actor registeredBy, long position,
                               List<EvaluationView> evaluations, ImportedModel imported) implements Positioned {

    /** A read may leave fields out (a batch's impact reads only what its client asked for); those are null. */
    public ModelVersionView {
        features = features == null ? null : List.copyOf(features);
        metrics = metrics == null ? null : List.copyOf(metrics);
        aliases = aliases == null ? null : List.copyOf(aliases);
        evaluations = evaluations == null ? null : List.copyOf(evaluations);
    }

    public ModelVersionRef ref() {
        return ModelVersionRef.of(model, version);
    }

    public ModelVersionView withAlias(String alias, boolean present, long position) {
        List<String> next = new ArrayList<>(aliases);
        next.remove(alias);
        if (present) {
            next.add(alias);
        }
        return new ModelVersionView(model, version, runId, task, features, artifact, metrics, baseline, next,
                registeredAt, registeredBy, position, evaluations, imported);
    }

    /** With this evaluation added, or replacing the one with its id (requested, then completed or failed). */
    public ModelVersionView withEvaluation(EvaluationView evaluation, long position) {
        List<EvaluationView> next = new ArrayList<>(evaluations == null ? List.of() : evaluations);
        next.removeIf(e -> e.evaluationId().equals(evaluation.evaluationId()));
        next.add(evaluation);
        return new ModelVersionView(model, version, runId, task, features, artifact, metrics, baseline, aliases,
                registeredAt, registeredBy, position, next, imported);
    }
}
