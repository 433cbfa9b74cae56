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
 * there yet. The newest {@code capacity} documents are kept; for older ones only their keys, so that they are read
 * from Elasticsearch again. Only the documents of indexes the lane reads are kept (the audit projection, say, never
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
    private final Map<String, Positioned> recent;

    /**
     * @param fromTheStart whether the replay began at the start of the log, into empty generations
     * @param capacity     how many documents to keep
     */
    public ReplayMemory(boolean fromTheStart, int capacity) {
        this.fromTheStart = fromTheStart;
        this.recent = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Positioned> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                forgotten.add(eldest.getKey());
                return true;
            }
        };
    }

    /**
     * What this lane knows of a document of a generation being rebuilt ({@code index/id}): the document it wrote,
     * an empty optional when it knows there is none, or null when it does not know (read it from Elasticsearch).
     */
    Optional<Positioned> recall(String index, String id) {
        reading(index);
        String key = index + "/" + id;
        Positioned document = recent.get(key);
        if (document != null) {
            return Optional.of(document);
        }
        return fromTheStart && !forgotten.contains(key) && !unrecorded.contains(index) ? Optional.empty() : null;
    }

    /** The lane's projection reads a document of this index (from its batch or from here). */
    void reading(String index) {
        read.add(index);
    }

    /** A document the lane's last batch wrote, once Elasticsearch has taken it. */
    void written(String index, String id, Positioned document) {
        if (!read.contains(index)) {
            unrecorded.add(index);
            return;
        }
        String key = index + "/" + id;
        recent.put(key, document);
        forgotten.remove(key);
    }

    int size() {
        return recent.size();
    }
}
