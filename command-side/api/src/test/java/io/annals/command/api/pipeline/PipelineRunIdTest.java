package io.annals.command.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.command.api.model.EvaluationId;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineRunIdTest {

    private static final PipelineRunId RUN = new PipelineRunId(PipelineName.of("nightly-risk"), 12);

    @Test
    void theIdsARunDerivesLeadBackToIt_inEveryAttempt() {
        assertThat(RUN.value()).isEqualTo("nightly-risk#12");
        assertThat(PipelineRunId.parse("nightly-risk#12")).isEqualTo(RUN);
        assertThat(RUN.trainingRun().value()).isEqualTo("pipeline.nightly-risk.12");
        assertThat(RUN.trainingRun(3).value()).isEqualTo("pipeline.nightly-risk.12.r3");
        assertThat(RUN.evaluation(PipelineRunState.Role.CHAMPION, 1).value())
                .isEqualTo("pipeline.nightly-risk.12.champion");
        assertThat(RUN.evaluation(PipelineRunState.Role.CANDIDATE, 2).value())
                .isEqualTo("pipeline.nightly-risk.12.r2.candidate");
        assertThat(RUN.trainingSet(PipelineRunState.Purpose.TRAINING, 1).value())
                .isEqualTo("pipeline.nightly-risk.12.training");
        assertThat(RUN.trainingSet(PipelineRunState.Purpose.HELD_OUT, 2).value())
                .isEqualTo("pipeline.nightly-risk.12.r2.held-out");
        for (int attempt = 1; attempt <= 3; attempt++) {
            for (PipelineRunState.Purpose purpose : PipelineRunState.Purpose.values()) {
                assertThat(PipelineRunId.ofTrainingSet(RUN.trainingSet(purpose, attempt))).contains(RUN);
                assertThat(PipelineRunState.Purpose.ofId(RUN.trainingSet(purpose, attempt).value())).contains(purpose);
            }
            assertThat(PipelineRunId.ofTrainingRun(RUN.trainingRun(attempt))).contains(RUN);
            assertThat(PipelineRunId.ofEvaluation(RUN.evaluation(PipelineRunState.Role.CANDIDATE, attempt)))
                    .contains(RUN);
        }
    }

    @Test
    void idsNoPipelineMadeLeadNowhere() {
        assertThat(PipelineRunId.ofTrainingRun(TrainingRunId.of("3f2b1c9e-0000-4000-8000-000000000000"))).isEmpty();
        assertThat(PipelineRunId.ofTrainingRun(TrainingRunId.of("pipeline.x"))).isEmpty();
        assertThat(PipelineRunId.ofTrainingRun(TrainingRunId.of("pipeline.x.y"))).isEmpty();
        assertThat(PipelineRunId.ofEvaluation(EvaluationId.of("pipeline.x.1"))).isEmpty();
        assertThat(PipelineRunId.ofTrainingSet(io.annals.command.api.trainingset.TrainingSetId.of("ts-1"))).isEmpty();
        assertThatThrownBy(() -> PipelineRunId.parse("nightly-risk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'nightly-risk' is not a pipeline run id (<pipeline>#<number>)");
        assertThatThrownBy(() -> PipelineRunId.parse("nightly-risk#0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGateRuleBeatsTheChampionByItsMarginInItsDirection() {
        GateRule auc = new GateRule("auc", null, 0.005);
        GateRule logLoss = new GateRule("logLoss", null, 0);
        assertThat(auc.better()).isEqualTo(GateRule.Better.HIGHER);
        assertThat(logLoss.better()).isEqualTo(GateRule.Better.LOWER);
        Map<String, Double> champion = Map.of("auc", 0.80, "logLoss", 0.5);
        assertThat(auc.check(Map.of("auc", 0.805), champion).passed()).isTrue();
        assertThat(auc.check(Map.of("auc", 0.804), champion).passed()).isFalse();
        assertThat(logLoss.check(Map.of("logLoss", 0.5), champion).passed()).isTrue();
        assertThat(logLoss.check(Map.of("logLoss", 0.51), champion).passed()).isFalse();
        assertThat(auc.check(Map.of(), champion).passed()).as("a metric the candidate lacks fails").isFalse();
        assertThat(auc.check(Map.of("auc", Double.NaN), champion).passed()).isFalse();
        assertThat(auc.check(Map.of("auc", 0.1), null).passed()).as("no champion to beat").isTrue();
    }
}
