package io.annals.query.elastic;

import org.axonframework.eventhandling.TrackingToken;

/**
 * The global log position of the event a projection is applying, kept in each document it changes (see
 * {@link io.annals.command.api.common.Positioned}).
 */
public final class Positions {

    private Positions() {
    }

    /** The event's position, or -1 when it is not read from the log. */
    public static long of(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }
}
