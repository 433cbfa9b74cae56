package io.annals.command.api.pipeline;

import io.annals.command.api.common.Actor;
import io.annals.command.api.common.Positioned;
import java.time.Instant;

/**
 * A pipeline as the read side lists it: its definition's version, model and endpoint, whether it is paused, and its
 * latest run. The whole pipeline, with every run step by step, is read from the record ({@code pipeline(name)}).
 */
public record PipelineView(String name, int version, String model, String endpoint, boolean paused,
                           String pauseReason, Integer lastRun, PipelineRunView.Status lastStatus, Instant lastRunAt,
                           Instant registeredAt, Actor registeredBy, Instant updatedAt, long position)
        implements Positioned {

    public static PipelineView registered(PipelineVersionRegistered e, Instant at, Actor by, long position) {
        return new PipelineView(e.name().value(), e.version(), e.definition().model().value(),
                e.definition().deployment().endpoint() == null ? null : e.definition().deployment().endpoint().value(),
                false, null, null, null, null, at, by, at, position);
    }

    /** A new version of the definition (the pipeline's state otherwise as it was). */
    public PipelineView changed(PipelineVersionRegistered e, Instant at, Actor by, long position) {
        PipelineView next = registered(e, at, by, position);
        return new PipelineView(name, next.version, next.model, next.endpoint, paused, pauseReason, lastRun,
                lastStatus, lastRunAt, at, by, at, position);
    }

    public PipelineView paused(String reason, Instant at, long position) {
        return new PipelineView(name, version, model, endpoint, true, reason, lastRun, lastStatus, lastRunAt,
                registeredAt, registeredBy, at, position);
    }

    public PipelineView resumed(Instant at, long position) {
        return new PipelineView(name, version, model, endpoint, false, null, lastRun, lastStatus, lastRunAt,
                registeredAt, registeredBy, at, position);
    }

    public PipelineView run(int run, PipelineRunView.Status status, Instant at, long position) {
        boolean latest = lastRun == null || run >= lastRun;
        return new PipelineView(name, version, model, endpoint, paused, pauseReason, latest ? run : lastRun,
                latest ? status : lastStatus, latest && status == PipelineRunView.Status.RUNNING ? at : lastRunAt,
                registeredAt, registeredBy, at, position);
    }
}
