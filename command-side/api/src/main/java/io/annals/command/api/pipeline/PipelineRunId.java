package io.annals.command.api.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.trainingrun.TrainingRunId;
import io.annals.command.api.trainingset.TrainingSetId;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a pipeline, {@code <pipeline>#<number>} (numbered from 1 in the order they started). The training run
 * and the evaluations and training sets a pipeline run asks for have ids derived from it
 * ({@code pipeline.<name>.<number>}, {@code pipeline.<name>.<number>.candidate}, {@code ….training}), so that asking
 * twice is asking once and their results find their way back to the run.
 */
public record PipelineRunId(PipelineName pipeline, int number) {

    private static final String PREFIX = "pipeline.";

    public PipelineRunId {
        Objects.requireNonNull(pipeline, "pipeline is required");
        if (number < 1) {
            throw new IllegalArgumentException("a pipeline run's number starts at 1, got " + number);
        }
    }

    @JsonCreator
    public static PipelineRunId parse(String text) {
        int hash = text == null ? -1 : text.lastIndexOf('#');
        if (hash <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a pipeline run id (<pipeline>#<number>)");
        }
        try {
            return new PipelineRunId(PipelineName.of(text.substring(0, hash)),
                    Integer.parseInt(text.substring(hash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a pipeline run id (<pipeline>#<number>)");
        }
    }

    @JsonValue
    public String value() {
        return pipeline.value() + "#" + number;
    }

    /** The training run this pipeline run asks for. */
    public TrainingRunId trainingRun() {
        return trainingRun(1);
    }

    /** The training run of an attempt of this run (a retry from the training step is attempt 2, and so on). */
    public TrainingRunId trainingRun(int attempt) {
        return TrainingRunId.of(PREFIX + pipeline.value() + "." + number + (attempt > 1 ? ".r" + attempt : ""));
    }

    /** The evaluation of the candidate or of the champion on the run's held-out batch, in an attempt of the run. */
    public EvaluationId evaluation(PipelineRunState.Role role, int attempt) {
        return EvaluationId.of(trainingRun(attempt).value() + "." + role.name().toLowerCase());
    }

    /** A training set of an attempt of this run: {@code <training run>.training} or {@code .held-out}. */
    public TrainingSetId trainingSet(PipelineRunState.Purpose purpose, int attempt) {
        return TrainingSetId.of(trainingRun(attempt).value() + "." + purpose.suffix());
    }

    /** The pipeline run a training set belongs to, if a pipeline asked for it. */
    public static Optional<PipelineRunId> ofTrainingSet(TrainingSetId set) {
        return set == null ? Optional.empty() : parseDerived(set.value(), 1);
    }

    /** The pipeline run a training run belongs to, if a pipeline asked for it. */
    public static Optional<PipelineRunId> ofTrainingRun(TrainingRunId run) {
        return run == null ? Optional.empty() : parseDerived(run.value(), 0);
    }

    /** The pipeline run and role of an evaluation, if a pipeline asked for it. */
    public static Optional<PipelineRunId> ofEvaluation(EvaluationId evaluation) {
        return evaluation == null ? Optional.empty() : parseDerived(evaluation.value(), 1);
    }

    private static Optional<PipelineRunId> parseDerived(String id, int suffixes) {
        if (!id.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = id.substring(PREFIX.length()).split("\\.");
        boolean retried = parts.length == 3 + suffixes && parts[2].matches("r[0-9]+");
        if (parts.length != 2 + suffixes && !retried) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PipelineRunId(PipelineName.of(parts[0]), Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value();
    }
}
