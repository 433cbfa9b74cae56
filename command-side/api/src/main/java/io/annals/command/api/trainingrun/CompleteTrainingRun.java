package io.annals.command.api.trainingrun;

import io.annals.command.api.common.ArtifactRef;
import io.annals.command.api.common.InputProfile;
import io.annals.command.api.common.ScoreBaseline;
import java.util.Map;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * @param environment what trained it: {@code annals}, {@code djl}, {@code engine}, {@code engineVersion},
 *                    {@code java} and {@code os} versions
 * @param profile     the reference profile of the training inputs (null from workers that do not compute one)
 */
public record CompleteTrainingRun(@TargetAggregateIdentifier TrainingRunId runId, String workerId,
                                  ArtifactRef artifact, Map<String, Double> metrics, ScoreBaseline baseline,
                                  Map<String, String> environment, InputProfile profile) {

    public CompleteTrainingRun(TrainingRunId runId, String workerId, ArtifactRef artifact, Map<String, Double> metrics,
                               ScoreBaseline baseline, Map<String, String> environment) {
        this(runId, workerId, artifact, metrics, baseline, environment, null);
    }

    public CompleteTrainingRun(TrainingRunId runId, String workerId, ArtifactRef artifact, Map<String, Double> metrics,
                               ScoreBaseline baseline) {
        this(runId, workerId, artifact, metrics, baseline, null);
    }

    public CompleteTrainingRun {
        Objects.requireNonNull(artifact, "a completed run needs its artifact");
        Objects.requireNonNull(baseline, "a completed run needs its score baseline");
        metrics = Map.copyOf(metrics);
        environment = environment == null ? null : Map.copyOf(environment);
    }
}
