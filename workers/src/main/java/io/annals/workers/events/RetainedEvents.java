package io.annals.workers.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a worker's state still rests on, by entity (a run, an endpoint, a webhook): replayed in this order
 * into a new worker, they give it the state the worker has now. A worker keeps them as it applies the log — adds
 * what opens or changes an entity, drops an entity once it is closed — and its {@link EventStream} writes them in
 * its snapshots, so that a start replays these instead of the whole history. Entities keep the order in which they
 * were first seen, events their order within an entity. Thread-safe.
 */
public final class RetainedEvents {

    private final Map<String, List<EventEnvelope>> entities = new LinkedHashMap<>();

    /** Appends the event to the entity (creating it). */
    public synchronized void add(String entity, EventEnvelope event) {
        entities.computeIfAbsent(entity, k -> new ArrayList<>()).add(event);
    }

    /** Appends the event to the entity only when the entity is kept already. */
    public synchronized void addIfKept(String entity, EventEnvelope event) {
        List<EventEnvelope> events = entities.get(entity);
        if (events != null) {
            events.add(event);
        }
    }

    /**
     * Appends the event to a kept entity after removing the entity's earlier events of the same type: for events
     * whose latest one says all there is (a lease's expiry time, a configuration). The last event of each type
     * keeps its order relative to the others.
     */
    public synchronized void replaceType(String entity, EventEnvelope event) {
        List<EventEnvelope> events = entities.get(entity);
        if (events != null) {
            events.removeIf(e -> e.payload().getClass() == event.payload().getClass());
            events.add(event);
        }
    }

    /** The entity is this one event from now on (its place in the order is kept). */
    public synchronized void set(String entity, EventEnvelope event) {
        List<EventEnvelope> events = new ArrayList<>();
        events.add(event);
        entities.put(entity, events);
    }

    /** Appends the events of {@code from} to {@code to} and forgets {@code from}. */
    public synchronized void move(String from, String to) {
        List<EventEnvelope> moved = entities.remove(from);
        if (moved != null) {
            entities.computeIfAbsent(to, k -> new ArrayList<>()).addAll(moved);
        }
    }

    public synchronized void remove(String entity) {
        entities.remove(entity);
    }

    public synchronized boolean contains(String entity) {
        return entities.containsKey(entity);
    }

    /** Every kept event: entities in order, each entity's events in order. */
    public synchronized List<EventEnvelope> events() {
        List<EventEnvelope> all = new ArrayList<>();
        entities.values().forEach(all::addAll);
        return all;
    }
}
