package io.annals.query.elastic;

import java.util.Map;
import org.axonframework.eventhandling.TrackingToken;

/**
 * The global log position of the event a projection is applying, kept in each document it changes. A document
 * whose position is at or past an event's already reflects it: applying that event again is a no-op, and a state
 * pushed to subscribers is never older than one pushed before.
 */
public final class Positions {

    private Positions() {
    }

    /** The event's position, or -1 when it is not read from the log (a test applying events by hand). */
    public static long of(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    public static boolean alreadyApplied(Map<String, Object> document, long position) {
        return position >= 0 && of(document) >= position;
    }

    /** True when {@code candidate} is newer than {@code current} (either may be null). */
    public static boolean newer(Map<String, Object> candidate, Map<String, Object> current) {
        if (current == null) {
            return true;
        }
        long a = of(candidate);
        return a < 0 || a > of(current);
    }

    /** The position a document records, or -1 when it records none. */
    private static long of(Map<String, Object> document) {
        return document.get("position") instanceof Number n ? n.longValue() : -1;
    }
}
