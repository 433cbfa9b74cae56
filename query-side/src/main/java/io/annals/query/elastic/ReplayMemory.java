package io.annals.query.elastic;

import io.annals.command.api.common.Positioned;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one lane of a rebuild's replay has written into the generations it fills, so that the lane reads its own
 * documents from memory instead of asking Elasticsearch for them batch after batch. It can answer because, while a
 * replay runs, each document is written by one lane only: a projection's documents each take the events of one
 * sequence (see the projections' sequencing policies), and a lane takes all the events of its sequences. A replay that
 * started at the beginning of the log fills empty generations, so a document this lane has not written does not exist
 * there yet. The newest documents are kept, up to {@code capacityBytes} of their JSON; of older ones only their keys,
 * so that they are read from Elasticsearch again. Only the documents of indexes the lane reads are kept (the audit projection, say, never
 * reads its documents, and keeping them would only feed the garbage collector); an index the lane wrote before it
 * first read it is answered for the documents kept, and for no others.
 * <p>
 * Kept in the resources of each unit of work of the lane ({@link #RESOURCE}); one thread uses it at a time.
 */
public final class ReplayMemory {

    /** The unit-of-work resource a lane keeps its memory under. */
    public static final String RESOURCE = ReplayMemory.class.getName();

    private final boolean fromTheStart;
    private final Set<String> forgotten = new HashSet<>();
    /** Indexes this lane has read from. */
    private final Set<String> read = new HashSet<>();
    /** Indexes this lane wrote to before it first read from them: what it wrote then, it does not know. */
    private final Set<String> unrecorded = new HashSet<>();
    /** Kept documents, least recently used first, with the size of their JSON. */
    private final LinkedHashMap<String, Kept> recent = new LinkedHashMap<>(1024, 0.75f, true);
    private final long capacityBytes;
    private long bytes;

    private record Kept(Positioned document, int bytes) {
    }

    /**
     * @param fromTheStart  whether the replay began at the start of the log, into empty generations
     * @param capacityBytes how much of the documents' JSON to keep
     */
    public ReplayMemory(boolean fromTheStart, long capacityBytes) {
        this.fromTheStart = fromTheStart;
        this.capacityBytes = capacityBytes;
    }

    /**
     * What this lane knows of a document of a generation being rebuilt ({@code index/id}): the document it wrote,
     * an empty optional when it knows there is none, or null when it does not know (read it from Elasticsearch).
     */
    Optional<Positioned> recall(String index, String id) {
        reading(index);
        String key = index + "/" + id;
        Kept kept = recent.get(key);
        if (kept != null) {
            return Optional.of(kept.document());
        }
        return fromTheStart && !forgotten.contains(key) && !unrecorded.contains(index) ? Optional.empty() : null;
    }

    /** The lane's projection reads a document of this index (from its batch or from here). */
    void reading(String index) {
        read.add(index);
    }

    /** A document the lane's last batch wrote ({@code bytes} of JSON), once Elasticsearch has taken it. */
    void written(String index, String id, Positioned document, int bytes) {
        if (!read.contains(index)) {
            unrecorded.add(index);
            return;
        }
        String key = index + "/" + id;
        Kept before = recent.put(key, new Kept(document, bytes));
        this.bytes += bytes - (before == null ? 0 : before.bytes());
        forgotten.remove(key);
        var eldest = recent.entrySet().iterator();
        while (this.bytes > capacityBytes && eldest.hasNext()) {
            Map.Entry<String, Kept> forget = eldest.next();
            eldest.remove();
            this.bytes -= forget.getValue().bytes();
            forgotten.add(forget.getKey());
        }
    }

    /** How many documents are kept. */
    int size() {
        return recent.size();
    }
}
