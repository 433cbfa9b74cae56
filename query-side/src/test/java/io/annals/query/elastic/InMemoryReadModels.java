package io.annals.query.elastic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.annals.command.api.common.Positioned;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The read-model store of projection unit tests: documents kept as the JSON Elasticsearch would hold (written and
 * read with the same Jackson settings as the platform's client), so a test also shows that every read model survives
 * the round trip.
 */
public final class InMemoryReadModels implements ReadModelStore {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Map<String, Map<String, String>> indexes = new TreeMap<>();
    private final List<String> generationsStarted = new ArrayList<>();
    private int writes;

    @Override
    public <T extends Positioned> Optional<T> get(ReadModel<T> model, String id) {
        String json = indexes.getOrDefault(model.alias(), Map.of()).get(id);
        try {
            return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, model.type()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T extends Positioned> void put(ReadModel<T> model, String id, T document) {
        try {
            indexes.computeIfAbsent(model.alias(), a -> new TreeMap<>()).put(id, JSON.writeValueAsString(document));
            writes++;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void startGeneration(ReadModel<?> model) {
        generationsStarted.add(model.alias());
        indexes.remove(model.alias());
    }

    /** Every document of a read model, by id. */
    public <T extends Positioned> Map<String, T> all(ReadModel<T> model) {
        Map<String, T> all = new TreeMap<>();
        indexes.getOrDefault(model.alias(), Map.of()).keySet().forEach(id -> all.put(id, get(model, id).orElseThrow()));
        return all;
    }

    public <T extends Positioned> T one(ReadModel<T> model, String id) {
        return get(model, id).orElseThrow(() -> new AssertionError("no document " + id + " in " + model.alias()));
    }

    public List<String> generationsStarted() {
        return generationsStarted;
    }

    public int writes() {
        return writes;
    }
}
