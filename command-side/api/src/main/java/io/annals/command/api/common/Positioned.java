package io.annals.command.api.common;

/**
 * A read model whose state reflects the event log up to a global position (the last event applied to it). A state
 * at a later position is newer: projections skip events at or before it, and subscriptions never go backwards.
 */
public interface Positioned {

    /** The log position of the last event applied, or -1 when the state was not read from the log. */
    long position();

    /** True when this state is newer than {@code other} (any state is newer than none). */
    default boolean newerThan(Positioned other) {
        return other == null || position() < 0 || position() > other.position();
    }
}
