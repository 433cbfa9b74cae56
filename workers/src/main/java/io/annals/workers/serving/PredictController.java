package io.annals.workers.serving;

import io.annals.command.api.common.ScoreRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/endpoints/{name}/predict} with {@code {"rows": [{"feature": value, …}, …]}}: answers the scores
 * and the model version that produced them, and logs each score to Kafka. When a revision splits traffic, each
 * request goes to one of its versions in proportion to their shares.
 */
@RestController
public class PredictController {

    private static final Logger log = LoggerFactory.getLogger(PredictController.class);

    static final int MAX_ROWS = 10_000;

    private final ServingRegistry registry;
    private final ScoreLog scores;

    public PredictController(ServingRegistry registry, ScoreLog scores) {
        this.registry = registry;
        this.scores = scores;
    }

    public record PredictRequest(List<Map<String, Object>> rows) {
    }

    public record PredictResponse(String requestId, String endpoint, int revision, String model, int version,
                                  List<Double> scores) {
    }

    @PostMapping(path = "/v1/endpoints/{name}/predict", consumes = "application/json", produces = "application/json")
    public ResponseEntity<?> predict(@PathVariable("name") String name, @RequestBody PredictRequest request)
            throws Exception {
        var live = registry.live(name);
        if (live.isEmpty()) {
            HttpStatus status = registry.knows(name) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.NOT_FOUND;
            return error(status, registry.unavailableReason(name));
        }
        if (request == null || request.rows() == null || request.rows().isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "the request needs \"rows\": a list of objects of feature values");
        }
        if (request.rows().size() > MAX_ROWS) {
            return error(HttpStatus.BAD_REQUEST, "at most " + MAX_ROWS + " rows per request, got "
                    + request.rows().size());
        }
        ServingRegistry.Live serving = live.get();
        ServingRegistry.Served chosen = serving.pick();
        List<String> features = chosen.model().metadata().features();
        float[][] matrix = new float[request.rows().size()][features.size()];
        for (int i = 0; i < matrix.length; i++) {
            Map<String, Object> row = request.rows().get(i);
            for (int j = 0; j < features.size(); j++) {
                Object value = row == null ? null : row.get(features.get(j));
                if (!(value instanceof Number) && !(value instanceof Boolean)) {
                    return error(HttpStatus.BAD_REQUEST, "row " + (i + 1) + ": feature '" + features.get(j) + "' "
                            + (value == null ? "is missing" : "must be a number, got " + value));
                }
                matrix[i][j] = value instanceof Boolean b ? (b ? 1f : 0f) : ((Number) value).floatValue();
            }
        }
        float[] predicted = chosen.model().predict(matrix);
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        List<Double> out = new ArrayList<>(predicted.length);
        for (float p : predicted) {
            out.add((double) p);
            scores.log(new ScoreRecord(requestId, name, chosen.target().model().value(), chosen.target().version(),
                    serving.revision(), p, now));
        }
        return ResponseEntity.ok(new PredictResponse(requestId, name, serving.revision(),
                chosen.target().model().value(), chosen.target().version(), out));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        log.info("Refused a prediction ({}): {}", status.value(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status.name());
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
