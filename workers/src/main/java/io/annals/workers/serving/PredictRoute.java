package io.annals.workers.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.annals.workers.training.FeatureEncoder;
import io.annals.workers.training.Predictions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * {@code POST /v1/endpoints/{name}/predict} with {@code {"rows": [{"feature": value, …}, …], "routingKey": …}}:
 * answers the scores and the model version that produced them, and logs each score to Kafka. When a revision splits
 * traffic, each request goes to one of its versions in proportion to their shares; requests with the same
 * {@code routingKey} (or {@value #ROUTING_HEADER} header) reach the same version.
 */
public final class PredictRoute {

    private static final Logger log = LoggerFactory.getLogger(PredictRoute.class);

    /** Reads requests and writes answers (the same Jackson as the V2 route's). */
    private static final ObjectMapper JSON = ServingJson.MAPPER;
    private static final ObjectWriter ANSWER = JSON.writerFor(PredictResponse.class);

    private final Inference inference;
    private final int maxBodyBytes;

    public PredictRoute(Inference inference, int maxBodyBytes) {
        this.inference = inference;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The header that may carry the routing key instead of the body's {@code routingKey}. */
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

    /**
     * The body is read and parsed here, and the answer written as bytes here (see {@link RequestParts#body} and
     * {@link ServingRoutes}).
     */
    ServingReply predict(ServingCall http, String name) {
        long begin = System.nanoTime();
        int status = 500;
        int rowCount = 1;
        Inference.Chosen chosen = null;
        try {
            JsonNode request = parse(RequestParts.body(http, maxBodyBytes));
            JsonNode routing = request.get("routingKey");
            chosen = inference.choose(name, null, routing != null && routing.isTextual() ? routing.textValue()
                    : http.header(ROUTING_HEADER));
            JsonNode rowsNode = request.get("rows");
            if (rowsNode == null || !rowsNode.isArray() || rowsNode.isEmpty()) {
                throw new Inference.Refused(400, "the request needs \"rows\": a list of objects of feature values");
            }
            rowCount = rowsNode.size();
            if (rowCount > Inference.MAX_ROWS) {
                throw new Inference.Refused(400, "at most " + Inference.MAX_ROWS + " rows per request, got "
                        + rowCount);
            }
            FeatureEncoder encoder = chosen.metadata().inputs();
            Object[][] rows = new Object[rowCount][];
            StringBuilder invalid = new StringBuilder();
            for (int i = 0; i < rows.length; i++) {
                JsonNode row = rowsNode.get(i);
                if (!row.isObject()) {
                    throw new Inference.Refused(400, "row " + (i + 1) + " must be an object of feature values, got "
                            + row);
                }
                rows[i] = encoder.fromJson(i + 1, row, invalid);
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
            byte[] body = ANSWER.writeValueAsBytes(new PredictResponse(answer.requestId(), name, chosen.revision(),
                    chosen.served().target().model().value(), chosen.served().target().version(), out,
                    answer.predictedClasses() == null ? null : chosen.metadata().classes(),
                    answer.predictedClasses(), probabilities));
            status = 200;
            return ServingReply.json(200, body);
        } catch (Inference.Refused refused) {
            status = refused.status();
            return error(refused.status(), refused.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the prediction failed: " + e.getMessage(), e);
        } finally {
            inference.record(ServingMetrics.Api.JSON, name, chosen, status, System.nanoTime() - begin,
                    Math.min(rowCount, Inference.MAX_ROWS));
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new Inference.Refused(400, "the request has no body; it needs \"rows\": a list of objects of "
                    + "feature values");
        }
        try {
            JsonNode request = JSON.readTree(body);
            if (request == null || !request.isObject()) {
                throw new Inference.Refused(400, "the request must be a JSON object with \"rows\", got "
                        + (request == null ? "nothing" : request.getNodeType().name().toLowerCase(Locale.ROOT)));
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new Inference.Refused(400, "the request is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Inference.Refused(400, "the request is not JSON: " + e.getMessage());
        }
    }

    /** The JSON API's refusal: {@code {"error": <the status's name>, "message": …}}. */
    static ServingReply error(int status, String message) {
        log.info("Refused a prediction ({}): {}", status, message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", HttpStatus.valueOf(status).name());
        body.put("message", message);
        return ServingReply.json(status, body);
    }
}
