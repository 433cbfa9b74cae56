package io.annals.workers.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.annals.workers.training.FeatureEncoder;
import jakarta.servlet.http.HttpServletRequest;
import io.annals.workers.training.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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

    private final Inference inference;

    public PredictController(Inference inference) {
        this.inference = inference;
    }

    /** {@code routingKey} (or the {@value #ROUTING_HEADER} header): the same key reaches the same version of a split. */
    public record PredictRequest(List<Map<String, Object>> rows, String routingKey) {
    }

    public static final String ROUTING_HEADER = "X-Annals-Routing-Key";

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
    public ResponseEntity<?> predict(@RequestBody PredictRequest request, HttpServletRequest http) throws Exception {
        String name = RequestParts.pathVariable(http, "name");
        String routingHeader = http.getHeader(ROUTING_HEADER);
        long begin = System.nanoTime();
        int status = 500;
        Inference.Chosen chosen = null;
        try {
            String routingKey = request != null && request.routingKey() != null ? request.routingKey() : routingHeader;
            chosen = inference.choose(name, null, routingKey);
            if (request == null || request.rows() == null || request.rows().isEmpty()) {
                throw new Inference.Refused(400, "the request needs \"rows\": a list of objects of feature values");
            }
            if (request.rows().size() > Inference.MAX_ROWS) {
                throw new Inference.Refused(400, "at most " + Inference.MAX_ROWS + " rows per request, got "
                        + request.rows().size());
            }
            FeatureEncoder encoder = chosen.metadata().inputs();
            Object[][] rows = new Object[request.rows().size()][];
            StringBuilder invalid = new StringBuilder();
            for (int i = 0; i < rows.length; i++) {
                rows[i] = encoder.fromJson(i + 1, request.rows().get(i), invalid);
                if (rows[i] == null) {
                    throw new Inference.Refused(400, invalid.toString());
                }
            }
            Inference.Answer answer = inference.predict(chosen, rows);
            Predictions predicted = answer.predictions();
            List<Double> out = new ArrayList<>(rows.length);
            for (float p : predicted.scores()) {
                out.add((double) p);
            }
            List<List<Double>> probabilities = null;
            if (predicted.probabilities() != null) {
                probabilities = new ArrayList<>(rows.length);
                for (float[] row : predicted.probabilities()) {
                    List<Double> r = new ArrayList<>(row.length);
                    for (float q : row) {
                        r.add((double) q);
                    }
                    probabilities.add(r);
                }
            }
            status = 200;
            return ResponseEntity.ok(new PredictResponse(answer.requestId(), name, chosen.revision(),
                    chosen.served().target().model().value(), chosen.served().target().version(), out,
                    answer.predictedClasses() == null ? null : chosen.metadata().classes(),
                    answer.predictedClasses(), probabilities));
        } catch (Inference.Refused refused) {
            status = refused.status();
            return error(HttpStatus.valueOf(refused.status()), refused.getMessage());
        } finally {
            int rows = request == null || request.rows() == null ? 1
                    : Math.min(request.rows().size(), Inference.MAX_ROWS);
            inference.record(ServingMetrics.Api.JSON, name, chosen, status, System.nanoTime() - begin, rows);
        }
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        log.info("Refused a prediction ({}): {}", status.value(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status.name());
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
