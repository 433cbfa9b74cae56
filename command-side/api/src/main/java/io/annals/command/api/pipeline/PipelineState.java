package io.annals.command.api.pipeline;

import io.annals.command.api.common.Actor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pipeline as its stream tells it: its definitions, whether it is paused, the causes waiting for the next run and
 * every run. The Pipeline aggregate decides on it; the API shows it; both fold the same events through
 * {@link #apply}.
 */
public final class PipelineState {

    /** One version of the definition, when and by whom it was registered. */
    public record Version(int version, PipelineDefinition definition, Instant registeredAt, Actor registeredBy) {
    }

    private PipelineName name;
    private final List<Version> versions = new ArrayList<>();
    private boolean paused;
    private String pauseReason;
    private final List<PipelineCause> queued = new ArrayList<>();
    private final Set<String> causeEvents = new HashSet<>();
    private final TreeMap<Integer, PipelineRunState> runs = new TreeMap<>();
    /** The schedule's last tick considered; ticks after it are due. Starts when a schedule is first registered. */
    private Instant lastTick;
    /** When the kept batch triggers may start a run: their quiet period has passed. */
    private Instant quietUntil;

    public void apply(Object event, Instant at, Actor by) {
        if (event instanceof PipelineVersionRegistered e) {
            name = e.name();
            PipelineDefinition.Schedule before = versions.isEmpty() ? null : current().definition().schedule();
            PipelineDefinition.Schedule after = e.definition().schedule();
            if (after == null) {
                lastTick = null;
            } else if (!after.equals(before)) {
                lastTick = at; // a new schedule counts from when it was given
            }
            versions.add(new Version(e.version(), e.definition(), at, by));
        } else if (event instanceof PipelineScheduleTicked e) {
            lastTick = e.tick();
        } else if (event instanceof PipelinePaused e) {
            paused = true;
            pauseReason = e.reason();
        } else if (event instanceof PipelineResumed) {
            paused = false;
            pauseReason = null;
        } else if (event instanceof PipelineRunQueued e) {
            queued.add(e.cause());
            remember(e.cause());
            if (e.startAfter() != null) {
                quietUntil = e.startAfter();
            }
        } else if (event instanceof PipelineRunStarted e) {
            queued.clear();
            quietUntil = null;
            e.causes().forEach(this::remember);
            runs.put(e.run(), new PipelineRunState(e, at, by));
        } else if (event instanceof PipelineRunEvent e && runs.containsKey(e.run())) {
            runs.get(e.run()).apply(event, at);
        }
    }

    private void remember(PipelineCause cause) {
        if (cause.event() != null) {
            causeEvents.add(cause.event());
        }
    }

    public PipelineName name() {
        return name;
    }

    public List<Version> versions() {
        return List.copyOf(versions);
    }

    public Version current() {
        return versions.get(versions.size() - 1);
    }

    public boolean paused() {
        return paused;
    }

    public String pauseReason() {
        return pauseReason;
    }

    /** The causes that will start the next run. */
    public List<PipelineCause> queued() {
        return List.copyOf(queued);
    }

    /** Whether the event behind a cause has triggered this pipeline already. */
    public boolean seen(PipelineCause cause) {
        return cause.event() != null && causeEvents.contains(cause.event());
    }

    /** Every run, newest first. */
    public List<PipelineRunState> runs() {
        return List.copyOf(runs.descendingMap().values());
    }

    public Optional<PipelineRunState> run(int number) {
        return Optional.ofNullable(runs.get(number));
    }

    /** The run under way, if any: at most one is. */
    public Optional<PipelineRunState> active() {
        return runs.isEmpty() || !runs.lastEntry().getValue().underWay() ? Optional.empty()
                : Optional.of(runs.lastEntry().getValue());
    }

    /** The schedule's last tick considered (or when the schedule was given); null without a schedule. */
    public Instant lastTick() {
        return lastTick;
    }

    /**
     * When the clock must wake the pipeline for something other than its schedule: kept batches whose quiet period
     * ends, or a canary whose observation ends; null when nothing waits. Kept batches do not wake a paused pipeline,
     * nor one whose run under way they cannot end ({@code QUEUE}): its resume or the run's end starts them (and
     * sets the wake again if their quiet period has not passed by then), so the clock does not load the pipeline
     * every second for nothing while it waits.
     */
    public Instant nextWake() {
        PipelineRunState run = active().orElse(null);
        boolean blocked = paused || run != null
                && current().definition().whenBusy() != PipelineDefinition.WhenBusy.SUPERSEDE;
        Instant wake = queued.isEmpty() || blocked ? null : quietUntil;
        if (run != null && run.observing() && (wake == null || run.observeUntil().isBefore(wake))) {
            wake = run.observeUntil();
        }
        return wake;
    }

    /** When kept batch triggers may start a run (null: as soon as the pipeline is free). */
    public Instant quietUntil() {
        return quietUntil;
    }

    public int lastRun() {
        return runs.isEmpty() ? 0 : runs.lastKey();
    }
}
