package io.annals.app.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.app.cluster.CommandProcesses;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.common.Actor;
import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.dataset.DatasetSchema;
import io.annals.command.api.trainingrun.BatchInput;
import io.annals.command.api.trainingrun.BatchRef;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The record as a process without the command role reads it: from a process with the role, through
 * {@code POST /internal/records} ({@link RecordWire}). A process that cannot be reached is skipped for the next; when
 * none answers, the read fails with {@code UNAVAILABLE}, which the API reports as such (a request is never let
 * through on a guess).
 */
public final class RemoteRecords implements CommandRecords {

    private final CommandProcesses processes;
    private final int page;

    public RemoteRecords(CommandProcesses processes) {
        this(processes, RecordWire.PAGE);
    }

    /** With events read {@code page} at a time (at most {@link RecordWire#PAGE}). */
    RemoteRecords(CommandProcesses processes, int page) {
        this.processes = processes;
        this.page = page;
    }

    @Override
    public List<StoredEvent> stream(StreamId stream, Instant upTo) {
        List<StoredEvent> all = new ArrayList<>();
        long from = 0;
        while (true) {
            List<StoredEvent> read = page(stream, from, upTo, page);
            read.stream().filter(e -> e.payload() != null).forEach(all::add);
            if (read.size() < page) {
                return all;
            }
            from = read.get(read.size() - 1).sequence() + 1;
        }
    }

    @Override
    public Optional<StoredEvent> first(StreamId stream) {
        return page(stream, 0, null, 1).stream().filter(e -> e.payload() != null).findFirst();
    }

    private List<StoredEvent> page(StreamId stream, long from, Instant upTo, int limit) {
        ObjectNode request = RecordWire.request("stream").put("stream", stream.toString()).put("from", from)
                .put("limit", limit);
        if (upTo != null) {
            request.put("upTo", upTo.toString());
        }
        return RecordWire.events(ask(request));
    }

    @Override
    public List<Actor> principals() {
        List<Actor> found = new ArrayList<>();
        ask(RecordWire.request("principals")).path("principals").forEach(p -> found.add(Actor.of(p.asText())));
        return found;
    }

    @Override
    public Optional<DatasetSchema> schema(DatasetName dataset) {
        return Optional.ofNullable(RecordWire.convert(ask(RecordWire.request("schema").put("dataset",
                dataset.value())).path("schema"), DatasetSchema.class));
    }

    @Override
    public Optional<BatchInput> batch(BatchRef batch) {
        ObjectNode request = RecordWire.request("batch");
        request.set("batch", RecordWire.tree(batch));
        return Optional.ofNullable(RecordWire.convert(ask(request).path("batch"), BatchInput.class));
    }

    @Override
    public void tokenUsed(ApiTokenId token, Instant at) {
        ask(RecordWire.request("token-used").put("tokenId", token.value()).put("at", at.toString()));
    }

    @Override
    public Map<ApiTokenId, Instant> tokensLastUsed(Collection<ApiTokenId> tokens) {
        Map<ApiTokenId, Instant> found = new HashMap<>();
        if (tokens.isEmpty()) {
            return found;
        }
        ObjectNode request = RecordWire.request("tokens-last-used");
        var list = request.putArray("tokens");
        tokens.forEach(t -> list.add(t.value()));
        ask(request).path("lastUsed").fields().forEachRemaining(e -> found.put(ApiTokenId.of(e.getKey()),
                Instant.parse(e.getValue().asText())));
        return found;
    }

    private JsonNode ask(ObjectNode request) {
        HttpResponse<byte[]> response;
        try {
            response = processes.send(RecordWire.PATH, RecordWire.write(request)).join();
        } catch (CompletionException failure) {
            Throwable cause = CommandProcesses.unwrap(failure);
            throw new DomainException(DomainException.Code.UNAVAILABLE, "the record cannot be read: "
                    + (CommandProcesses.notConnected(cause) ? "no command process can be reached ("
                    + processes.bases() + "): " : "the command process did not answer: ") + cause);
        }
        JsonNode body;
        try {
            body = RecordWire.read(response.body());
        } catch (IllegalArgumentException unreadable) {
            throw new DomainException(DomainException.Code.UNAVAILABLE, "the command process answered a read of the "
                    + "record with HTTP " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() == 200) {
            return body;
        }
        String message = body.path("error").path("message").asText("HTTP " + response.statusCode());
        if (response.statusCode() == 400) {
            throw new IllegalArgumentException(message);
        }
        throw new DomainException(DomainException.Code.UNAVAILABLE, "the command role refused a read of the record"
                + (response.statusCode() == 401 ? " (do all processes share annals.secrets?)" : "") + ": " + message);
    }
}
