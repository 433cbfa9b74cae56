package io.annals.query.elastic;

import io.annals.command.api.common.Positioned;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where projections keep their documents: Elasticsearch in the platform ({@link Documents}), a map in the unit tests
 * of projections. Reads inside a batch of events see the batch's own writes.
 */
public interface ReadModelStore {

    <T extends Positioned> Optional<T> get(ReadModel<T> model, String id);

    <T extends Positioned> void put(ReadModel<T> model, String id, T document);

    /**
     * Says which documents of a read model an event will change ({@code ids} of its payload; empty for events that
     * change none), so that a store may read all the documents a batch of events needs in one request instead of one
     * per event. A hint: a store may ignore it.
     */
    default <T extends Positioned> void readAhead(ReadModel<T> model, Function<Object, Collection<String>> ids) {
    }

    /** Starts a rebuild of the read model: an empty generation that the projection fills from the start of the log. */
    void startGeneration(ReadModel<?> model);

    /**
     * Changes one document for the event at {@code position} of the log, idempotently: a document whose recorded
     * position is at or past the event already reflects it and is left alone. {@code ifMissing} makes the document
     * when there is none (null: a missing document stays missing). {@code change} returns the new state, recorded at
     * {@code position}.
     *
     * @return the document as written, or empty when nothing was written
     */
    default <T extends Positioned> Optional<T> apply(ReadModel<T> model, String id, long position,
                                                    Supplier<T> ifMissing, UnaryOperator<T> change) {
        Optional<T> existing = get(model, id);
        if (existing.isEmpty() && ifMissing == null) {
            return Optional.empty();
        }
        T current = existing.orElseGet(ifMissing);
        if (existing.isPresent() && position >= 0 && current.position() >= position) {
            return Optional.empty();
        }
        T next = change.apply(current);
        if (next.position() != position) {
            throw new IllegalStateException(model.alias() + "/" + id + ": a change for the event at position "
                    + position + " recorded position " + next.position());
        }
        put(model, id, next);
        return Optional.of(next);
    }

    /** Writes a whole document made by one event, unless the document already reflects that event. */
    default <T extends Positioned> Optional<T> write(ReadModel<T> model, String id, T document) {
        return apply(model, id, document.position(), () -> document, existing -> document);
    }
}
