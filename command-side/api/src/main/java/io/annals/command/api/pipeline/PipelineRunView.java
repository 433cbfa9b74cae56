package io.annals.command.api.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline run as the read side lists it: where it is, what started it, and every batch it touched (trained on,
 * held out, or was triggered by), so that a batch's impact names the pipeline runs it caused. The whole run, step by
 * step, is read from the record ({@code pipelineRun(id)}). With a feature set, {@code setsNeeded} training sets are
 * materialised before it trains ({@code setsReady} of them so far in this attempt).
 */
public record PipelineRunView(String id, String pipeline, int number, int version, String model, Status status,
                              PipelineRunState.Step step, List<PipelineCause> causes, List<String> batchIds,
                              Integer candidate, Integer champion, Boolean gatePassed, String reason,
                              Integer revision, Instant startedAt, Actor startedBy, Instant finishedAt,
                              int setsNeeded, int setsReady, long position) implements Positioned {

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
        int needed = e.featureSetVersion() == null ? 0 : e.heldOut() == null ? 1 : 2;
        return new PipelineRunView(id(e.name(), e.run()), e.name().value(), e.run(), e.version(), e.model().value(),
                Status.RUNNING, needed == 0 ? PipelineRunState.Step.TRAIN : PipelineRunState.Step.MATERIALIZE,
                e.causes(), batches, null, null, null, null, null, at, by, null, needed, 0, position);
    }

    /** A training set is ready: its batch is one the run touched; with the last one it trains. */
    public PipelineRunView materialized(PipelineTrainingSetReady e, long at) {
        List<String> batches = new ArrayList<>(batchIds);
        if (!batches.contains(e.output().batchId().value())) {
            batches.add(e.output().batchId().value());
        }
        int ready = setsReady + 1;
        return new PipelineRunView(id, pipeline, number, version, model, status, ready >= setsNeeded
                ? PipelineRunState.Step.TRAIN : step, causes, batches, candidate, champion, gatePassed, reason,
                revision, startedAt, startedBy, finishedAt, setsNeeded, ready, at);
    }

    public PipelineRunView trained(PipelineCandidateTrained e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, PipelineRunState.Step.EVALUATE,
                causes, batchIds, e.version(), e.champion(), gatePassed, reason, revision, startedAt, startedBy,
                finishedAt, setsNeeded, setsReady, at);
    }

    public PipelineRunView decided(PipelineGateDecided e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, e.passed()
                ? PipelineRunState.Step.DEPLOY : PipelineRunState.Step.GATE, causes, batchIds, candidate, champion,
                e.passed(), reason, revision, startedAt, startedBy, finishedAt, setsNeeded, setsReady, at);
    }

    public PipelineRunView observing(PipelineCanaryDeployed e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, status, PipelineRunState.Step.OBSERVE,
                causes, batchIds, candidate, champion, gatePassed, reason, e.revision(), startedAt, startedBy,
                finishedAt, setsNeeded, setsReady, at);
    }

    public PipelineRunView retried(PipelineRunRetried e, long at) {
        return new PipelineRunView(id, pipeline, number, version, model, Status.RUNNING, e.step(), causes, batchIds,
                candidate, champion, gatePassed, null, revision, startedAt, startedBy, null, setsNeeded,
                e.step() == PipelineRunState.Step.MATERIALIZE ? 0 : setsReady, at);
    }

    public PipelineRunView finished(PipelineRunFinished e, Instant when, long at) {
        Status outcome = Status.valueOf(e.outcome().name());
        return new PipelineRunView(id, pipeline, number, version, model, outcome, e.step(), causes, batchIds,
                candidate, champion, gatePassed, e.reason(), e.revision() != null ? e.revision() : revision, startedAt,
                startedBy, when, setsNeeded, setsReady, at);
    }
}
