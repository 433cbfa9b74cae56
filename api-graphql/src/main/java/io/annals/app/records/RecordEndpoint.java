package io.annals.app.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.app.RoleCondition;
import io.annals.app.cluster.CommandWire;
import io.annals.command.api.access.ApiTokenId;
import io.annals.command.api.common.StreamId;
import io.annals.command.api.dataset.DatasetName;
import io.annals.command.api.trainingrun.BatchRef;
import io.annals.infra.clients.SecretBox;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command role's door to its record for the other Annals processes ({@link RecordWire#PATH}): the same
 * internal token as the command port, bounded requests, and the answers {@link LocalRecords} gives this process.
 */
@RestController
@Conditional(RoleCondition.Command.class)
public class RecordEndpoint {

    private static final Logger log = LoggerFactory.getLogger(RecordEndpoint.class);
    private static final int MAX_TOKENS = 1000;

    private final LocalRecords records;
    private final String token;

    public RecordEndpoint(LocalRecords records, SecretBox secrets) {
        this.records = records;
        this.token = CommandWire.internalToken(secrets);
    }

    @PostMapping(RecordWire.PATH)
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!CommandWire.admitted(request, response, token, "a read of the record")) {
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(RecordWire.MAX_BYTES + 1);
        }
        JsonNode answer;
        try {
            if (body.length > RecordWire.MAX_BYTES) {
                throw new IllegalArgumentException("a read is at most " + RecordWire.MAX_BYTES + " bytes");
            }
            answer = answer(RecordWire.read(body));
        } catch (IllegalArgumentException invalid) {
            log.warn("Refused a read of the record: {}", invalid.getMessage());
            CommandWire.send(response, CommandWire.refusal(400, "invalid", null, invalid.getMessage()));
            return;
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.getOutputStream().write(RecordWire.write(answer));
    }

    private JsonNode answer(JsonNode request) {
        String read = RecordWire.text(request, "read");
        ObjectNode answer = RecordWire.object();
        switch (read) {
            case "stream" -> {
                long from = request.path("from").asLong(0);
                int limit = request.path("limit").asInt(RecordWire.PAGE);
                if (from < 0 || limit < 1 || limit > RecordWire.PAGE) {
                    throw new IllegalArgumentException("'from' must be at least 0 and 'limit' between 1 and "
                            + RecordWire.PAGE);
                }
                StreamId stream = StreamId.parse(RecordWire.text(request, "stream"));
                return RecordWire.events(records.page(stream, from, RecordWire.instant(request, "upTo"), limit));
            }
            case "principals" -> {
                var list = answer.putArray("principals");
                records.principals().forEach(p -> list.add(p.value()));
            }
            case "schema" -> answer.set("schema", RecordWire.tree(records.schema(
                    DatasetName.of(RecordWire.text(request, "dataset"))).orElse(null)));
            case "batch" -> {
                BatchRef batch = RecordWire.convert(request.path("batch"), BatchRef.class);
                if (batch == null) {
                    throw new IllegalArgumentException("'batch' must be an object with dataset and batchId");
                }
                answer.set("batch", RecordWire.tree(records.batch(batch).orElse(null)));
            }
            case "token-used" -> {
                Instant at = RecordWire.instant(request, "at");
                if (at == null) {
                    throw new IllegalArgumentException("'at' is required");
                }
                records.tokenUsed(ApiTokenId.of(RecordWire.text(request, "tokenId")), at);
            }
            case "tokens-last-used" -> {
                List<ApiTokenId> tokens = new ArrayList<>();
                for (JsonNode t : request.path("tokens")) {
                    tokens.add(ApiTokenId.of(t.asText()));
                }
                if (tokens.size() > MAX_TOKENS) {
                    throw new IllegalArgumentException("at most " + MAX_TOKENS + " tokens a read");
                }
                var found = answer.putObject("lastUsed");
                records.tokensLastUsed(tokens).forEach((id, at) -> found.put(id.value(), at.toString()));
            }
            default -> throw new IllegalArgumentException("'" + read + "' is not a read of the record; known: stream, "
                    + "principals, schema, batch, token-used, tokens-last-used");
        }
        return answer;
    }
}
