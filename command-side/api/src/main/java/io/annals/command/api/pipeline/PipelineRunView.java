package io.annals.command.api.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline run as the read side lists it: where it is, what started it, and every batch it touched (trained on,
 * held out, or was triggered by), so that a batch's impact names the pipeline runs it caused. The whole run, step by
 * step, is read from the record ({@code pipelineRun(id)}).
 */
public record PipelineRunView(String id, String pipeline, int number, int version, String model, Status status,
                              PipelineRunState.Step step, List<PipelineCause> causes, List<String> batchIds,
                              Integer candidate, Integer champion, Boolean gatePassed, String reason,
                              Integer revision, Instant startedAt, Actor startedBy, Instant finishedAt,
                              long position) implements Positioned {

    public enum Status { RUNNING, PROMOTED, REJECTED, FAILED, ROLLED_BACK, SUPERSEDED }

    public PipelineRunView {
        causes = List.copyOf(causes);
        batchIds = List.copyOf(batchIds);
    }

    public static String id(PipelineName pipeline, int run) {
        return new PipelineRunId(pipeline, run).value();
    }

    public static PipelineRunView started(PipelineRunStarted e, Instant at, Actor by, long position) {
        List<String> batches = new ArrayList<>();
        e.batches().stream().map(b -> b.batch().batchId().value()).forEach(batches::add);
        if (e.heldOut() != null) {
            batches.add(e.heldOut().batch().batchId().value());
        }
        e.causes().stream().filter(c -> c.batch() != null).map(c -> c.batch().batchId().value())
                .filter(b -> !batches.contains(b)).forEach(batches::add);
        return new PipelineRunView(id(e.name(), e.run()), e.name().value(), e.run(), e.version(), e.model().value(),
                Status.RUNNING, PipelineRunState.Step.TRAIN, e.causes(), batches, null, null, null, null, null, at,
                by, null, position);
    }

    public PipelineRunView trained(PipelineCandidateTrained e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, PipelineRunState.Step.EVALUATE,
                causes, batchIds, e.version(), e.champion(), gatePassed, reason, revision, startedAt, startedBy,
                finishedAt, at);
    }

    public PipelineRunView decided(PipelineGateDecided e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, e.passed()
                ? PipelineRunState.Step.DEPLOY : PipelineRunState.Step.GATE, causes, batchIds, candidate, champion,
                e.passed(), reason, revision, startedAt, startedBy, finishedAt, at);
    }

    public PipelineRunView observing(PipelineCanaryDeployed e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, PipelineRunState.Step.OBSERVE,
                causes, batchIds, candidate, champion, gatePassed, reason, e.revision(), startedAt, startedBy,
                finishedAt, at);
    }

    public PipelineRunView retried(PipelineRunRetried e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, Status.RUNNING, e.step(), causes, batchIds,
                candidate, champion, gatePassed, null, revision, startedAt, startedBy, null, at);
    }

    public PipelineRunView finished(PipelineRunFinished e, Instant when, long at) {
        Status outcome = Status.valueOf(e.outcome().name());
        return new PipelineRunView(id, pipeline, number, version, model, outcome, e.step(), causes, batchIds,
                candidate, champion, gatePassed, e.reason(), e.revision() != null ? e.revision() : revision, startedAt,
                startedBy, when, at);
    }
}
