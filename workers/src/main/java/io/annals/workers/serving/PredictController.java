package io.annals.workers.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.annals.command.api.common.ScoreRecord;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.training.FeatureEncoder;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
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

    /**
     * {@code classes}, {@code predicted} and {@code probabilities} (aligned with {@code classes}) are there for a
     * multi-class model only; {@code scores} is then each row's top-class probability.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictResponse(String requestId, String endpoint, int revision, String model, int version,
                                  List<Double> scores, List<String> classes, List<String> predicted,
                                  List<List<Double>> probabilities) {
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
        ModelMetadata metadata = chosen.model().metadata();
        FeatureEncoder encoder = metadata.inputs();
        Object[][] rows = new Object[request.rows().size()][];
        StringBuilder invalid = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            rows[i] = encoder.fromJson(i + 1, request.rows().get(i), invalid);
            if (rows[i] == null) {
                return error(HttpStatus.BAD_REQUEST, invalid.toString());
            }
        }
        Predictions predicted = chosen.model().predict(rows);
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        List<Double> out = new ArrayList<>(rows.length);
        List<String> classes = metadata.task() == Task.MULTICLASS_CLASSIFICATION ? metadata.classes() : null;
        List<String> predictedClasses = classes == null ? null : new ArrayList<>(rows.length);
        List<List<Double>> probabilities = classes == null ? null : new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            float p = predicted.scores()[i];
            out.add((double) p);
            String predictedClass = null;
            if (classes != null) {
                predictedClass = classes.get(predicted.predicted()[i]);
                predictedClasses.add(predictedClass);
                List<Double> row = new ArrayList<>(classes.size());
                for (float q : predicted.probabilities()[i]) {
                    row.add((double) q);
                }
                probabilities.add(row);
            }
            scores.log(new ScoreRecord(requestId, name, chosen.target().model().value(), chosen.target().version(),
                    serving.revision(), p, now, predictedClass));
        }
        return ResponseEntity.ok(new PredictResponse(requestId, name, serving.revision(),
                chosen.target().model().value(), chosen.target().version(), out, classes, predictedClasses,
                probabilities));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        log.info("Refused a prediction ({}): {}", status.value(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status.name());
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
