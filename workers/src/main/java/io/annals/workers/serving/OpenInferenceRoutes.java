package io.annals.workers.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.command.api.trainingrun.Task;
import io.annals.workers.training.FeatureEncoder;
import io.annals.workers.training.ModelMetadata;
import io.annals.workers.training.Predictions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol (KServe V2) over REST, JSON tensors: server and model metadata, liveness and readiness,
 * and inference on an endpoint (the protocol's model), or on one version it serves ({@code /versions/{version}}).
 * Inputs are one tensor per feature (shape {@code [n]} or {@code [n,1]}), or one tensor {@code [n, features]} in the
 * model's feature order; a categorical feature takes {@code BYTES}. Outputs: {@code scores} ({@code FP32 [n]}), and
 * for a multi-class model {@code probabilities} ({@code FP32 [n, classes]}) and {@code predicted} ({@code BYTES [n]}).
 * Errors are {@code {"error": "…"}} with 400, 404 or 503. The binary tensor extension is read and written as Triton
 * and its clients do: inputs with {@code parameters.binary_data_size}, outputs asked for with
 * {@code parameters.binary_data} (or {@code binary_data_output} on the request), and the
 * {@code Inference-Header-Content-Length} header giving the length of the JSON before the raw data. A
 * {@code parameters.routing_key} (or the {@code X-Annals-Routing-Key} header) makes a split sticky.
 */
public final class OpenInferenceRoutes {

    private static final Logger log = LoggerFactory.getLogger(OpenInferenceRoutes.class);
    /** The binary tensor extension's header: the length of the JSON part of a body that continues with raw data. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final ObjectMapper JSON = ServingJson.MAPPER;
    private static final Set<String> NUMERIC = Set.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64",
            "UINT8", "UINT16", "UINT32", "UINT64", "BOOL");

    private final Inference inference;
    private final int maxBodyBytes;

    public OpenInferenceRoutes(Inference inference, int maxBodyBytes) {
        this.inference = inference;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code GET /v2}: the server's metadata. */
    ServingReply server() {
        Package p = OpenInferenceRoutes.class.getPackage();
        return ServingReply.json(200, Map.of("name", "annals", "version", p.getImplementationVersion() == null
                ? "development build" : p.getImplementationVersion(), "extensions", List.of()));
    }

    /** {@code GET /v2/health/live} and {@code /v2/health/ready}: the process answers, so it is both. */
    ServingReply health(String what) {
        return ServingReply.json(200, what.equals("live") ? LIVE : READY);
    }

    private static final byte[] LIVE = "{\"live\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] READY = "{\"ready\":true}".getBytes(StandardCharsets.UTF_8);

    /** {@code GET /v2/models/{name}} and {@code /versions/{version}}: inputs and outputs (version: null for any). */
    ServingReply metadata(String name, String version) {
        return answer(() -> metadataOf(name, version == null ? null : version(version)));
    }

    /** {@code GET /v2/models/{name}/ready} and {@code /versions/{version}/ready}. */
    ServingReply modelReady(String name, String version) {
        return answer(() -> {
            if (version == null) {
                inference.choose(name, null);
                return Map.of("name", name, "ready", true);
            }
            inference.choose(name, version(version));
            return Map.of("name", name, "version", version, "ready", true);
        });
    }

    /**
     * {@code POST /v2/models/{name}/infer} and {@code /versions/{version}/infer} (version: null for the endpoint's
     * choice, which the routing key or header can make sticky).
     */
    ServingReply infer(ServingCall http, String name, String version) {
        AtomicReference<Inference.Chosen> chosen = new AtomicReference<>();
        return timed(name, chosen, () -> inferOn(name, version == null ? null : version(version), body(http),
                version == null ? http.header(PredictRoute.ROUTING_HEADER) : null, chosen));
    }

    private Body body(ServingCall http) {
        return Body.of(RequestParts.body(http, maxBodyBytes), headerLength(http));
    }

    /** The binary extension's header, if present: the length of the JSON part of the body. */
    private static Integer headerLength(ServingCall http) {
        String value = http.header(HEADER_LENGTH);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new Inference.Refused(400, HEADER_LENGTH + " must be a number of bytes, got '" + value + "'");
        }
    }

    /** Answers an inference request and records it in the serving metrics, with the version that answered. */
    private ServingReply timed(String name, AtomicReference<Inference.Chosen> chosen, Work work) {
        long begin = System.nanoTime();
        int status = 500;
        try {
            ServingReply reply = answer(work);
            status = reply.status();
            return reply;
        } finally {
            inference.record(ServingMetrics.Api.V2, name, chosen.get(), status, System.nanoTime() - begin);
        }
    }

    /**
     * A request body: its JSON header, and with the binary tensor extension the raw tensor data after it (the
     * header's length is in {@value #HEADER_LENGTH}).
     */
    private record Body(JsonNode json, ByteBuffer binary) {

        static Body of(byte[] bytes, Integer headerLength) {
            if (bytes == null || bytes.length == 0) {
                throw new Inference.Refused(400, "the request has no body");
            }
            int length = headerLength == null ? bytes.length : headerLength;
            if (length < 0 || length > bytes.length) {
                throw new Inference.Refused(400, HEADER_LENGTH + " " + headerLength + " is outside the body's "
                        + bytes.length + " bytes");
            }
            try {
                return new Body(JSON.readTree(bytes, 0, length),
                        ByteBuffer.wrap(bytes, length, bytes.length - length).slice().order(ByteOrder.LITTLE_ENDIAN));
            } catch (IOException e) {
                throw new Inference.Refused(400, "the request's header is not JSON: " + e.getMessage());
            }
        }
    }

    /** A binary response: the JSON header, then each output's raw data in order. */
    private record BinaryAnswer(byte[] header, byte[] data) {
    }

    private interface Work {
        Object run() throws Exception;
    }

    private static ServingReply answer(Work work) {
        try {
            Object result = work.run();
            if (result instanceof BinaryAnswer binary) {
                byte[] body = new byte[binary.header().length + binary.data().length];
                System.arraycopy(binary.header(), 0, body, 0, binary.header().length);
                System.arraycopy(binary.data(), 0, body, binary.header().length, binary.data().length);
                return new ServingReply(200, "application/octet-stream", body, HEADER_LENGTH,
                        String.valueOf(binary.header().length));
            }
            return ServingReply.json(200, result);
        } catch (Inference.Refused refused) {
            return error(refused.status(), refused.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The protocol's refusal: {@code {"error": …}}. */
    static ServingReply error(int status, String message) {
        log.info("Refused an inference request ({}): {}", status, message);
        return ServingReply.json(status, Map.of("error", message));
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Inference.Refused(404, "'" + text + "' is not a model version");
        }
    }

    private Map<String, Object> metadataOf(String name, Integer version) {
        ServingRegistry.Live live = inference.live(name);
        Inference.Chosen chosen = inference.choose(name, version);
        ModelMetadata metadata = chosen.metadata();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (FeatureEncoder.Input input : metadata.inputs().inputs()) {
            inputs.add(tensor(input.name(), input.kind() == FeatureEncoder.Kind.CATEGORICAL ? "BYTES" : "FP32",
                    List.of(-1)));
        }
        List<Map<String, Object>> outputs = new ArrayList<>();
        outputs.add(tensor("scores", "FP32", List.of(-1)));
        if (metadata.task() == Task.MULTICLASS_CLASSIFICATION) {
            outputs.add(tensor("probabilities", "FP32", List.of(-1, metadata.classes().size())));
            outputs.add(tensor("predicted", "BYTES", List.of(-1)));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("versions", version != null ? List.of(String.valueOf(version))
                : live.targets().stream().map(t -> String.valueOf(t.target().version())).toList());
        answer.put("platform", chosen.served().target().imported() == null ? "annals_djl_pytorch"
                : "onnxruntime_onnx");
        answer.put("inputs", inputs);
        answer.put("outputs", outputs);
        return answer;
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        return t;
    }

    /** A decoded input tensor: its name, datatype, shape and elements in row-major order. */
    private record Tensor(String name, String datatype, long[] shape, List<JsonNode> data) {
    }

    private Object inferOn(String name, Integer version, Body body, String routingHeader,
                           AtomicReference<Inference.Chosen> chosenOut) throws Exception {
        JsonNode request = body.json();
        JsonNode routing = request == null ? null : request.path("parameters").path("routing_key");
        Inference.Chosen chosen = inference.choose(name, version, routing != null && routing.isTextual()
                ? routing.asText() : routingHeader);
        chosenOut.set(chosen);
        if (request == null || !request.path("inputs").isArray() || request.path("inputs").isEmpty()) {
            throw new Inference.Refused(400, "the request needs \"inputs\": a list of tensors {name, shape, "
                    + "datatype, data}");
        }
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode input : request.path("inputs")) {
            inputs.add(tensor(input, body.binary()));
        }
        if (body.binary().hasRemaining()) {
            throw new Inference.Refused(400, body.binary().remaining() + " bytes of binary data are not claimed by any "
                    + "input's binary_data_size");
        }
        ModelMetadata metadata = chosen.metadata();
        Object[][] rows = rows(metadata.inputs(), inputs);
        Inference.Answer answer = inference.predict(chosen, rows);
        Set<String> wanted = new java.util.HashSet<>();
        Set<String> binary = new java.util.HashSet<>();
        boolean allBinary = request.path("parameters").path("binary_data_output").asBoolean(false);
        for (JsonNode output : request.path("outputs")) {
            wanted.add(output.path("name").asText());
            if (allBinary || output.path("parameters").path("binary_data").asBoolean(false)) {
                binary.add(output.path("name").asText());
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("model_name", name);
        response.put("model_version", String.valueOf(chosen.served().target().version()));
        response.put("id", request.hasNonNull("id") ? request.get("id").asText() : answer.requestId());
        ArrayNode outputs = response.putArray("outputs");
        Predictions p = answer.predictions();
        List<String> available = new ArrayList<>(List.of("scores"));
        if (answer.predictedClasses() != null) {
            available.addAll(List.of("probabilities", "predicted"));
        }
        for (String requested : wanted) {
            if (!available.contains(requested)) {
                throw new Inference.Refused(400, "the model has no output '" + requested + "'; its outputs: "
                        + available);
            }
        }
        if (wanted.isEmpty() || wanted.contains("scores")) {
            ObjectNode scores = output(outputs, "scores", "FP32", rows.length);
            ArrayNode data = scores.putArray("data");
            for (float s : p.scores()) {
                data.add(s);
            }
        }
        if (answer.predictedClasses() != null && (wanted.isEmpty() || wanted.contains("probabilities"))) {
            ObjectNode probabilities = output(outputs, "probabilities", "FP32", rows.length,
                    metadata.classes().size());
            ArrayNode data = probabilities.putArray("data");
            for (float[] row : p.probabilities()) {
                for (float q : row) {
                    data.add(q);
                }
            }
        }
        if (answer.predictedClasses() != null && (wanted.isEmpty() || wanted.contains("predicted"))) {
            ArrayNode data = output(outputs, "predicted", "BYTES", rows.length).putArray("data");
            answer.predictedClasses().forEach(data::add);
        }
        if (allBinary || !binary.isEmpty()) {
            return binaryAnswer(response, allBinary, binary);
        }
        return response;
    }

    /** Moves the data of the outputs asked for in binary out of the JSON, into raw little-endian bytes after it. */
    private static BinaryAnswer binaryAnswer(ObjectNode response, boolean allBinary, Set<String> binary)
            throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (JsonNode node : response.path("outputs")) {
            ObjectNode output = (ObjectNode) node;
            if (!allBinary && !binary.contains(output.path("name").asText())) {
                continue;
            }
            JsonNode values = output.remove("data");
            ByteBuffer bytes;
            if (output.path("datatype").asText().equals("BYTES")) {
                ByteArrayOutputStream strings = new ByteArrayOutputStream();
                for (JsonNode v : values) {
                    byte[] text = v.asText().getBytes(StandardCharsets.UTF_8);
                    strings.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(text.length).array());
                    strings.write(text);
                }
                bytes = ByteBuffer.wrap(strings.toByteArray());
            } else {
                bytes = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (JsonNode v : values) {
                    bytes.putFloat(v.floatValue());
                }
            }
            output.putObject("parameters").put("binary_data_size", bytes.capacity());
            data.write(bytes.array());
        }
        return new BinaryAnswer(JSON.writeValueAsBytes(response), data.toByteArray());
    }

    private static ObjectNode output(ArrayNode outputs, String name, String datatype, long... shape) {
        ObjectNode output = outputs.addObject();
        output.put("name", name);
        ArrayNode dims = output.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        output.put("datatype", datatype);
        return output;
    }

    private static Tensor tensor(JsonNode input, ByteBuffer binary) {
        String name = input.path("name").asText(null);
        String datatype = input.path("datatype").asText(null);
        if (name == null || datatype == null || !input.path("shape").isArray()) {
            throw new Inference.Refused(400, "every input needs a name, a datatype and a shape");
        }
        if (!NUMERIC.contains(datatype) && !datatype.equals("BYTES")) {
            throw new Inference.Refused(400, "input '" + name + "': datatype " + datatype + " is not one of "
                    + "FP32, FP64, INT32, INT64, BOOL, BYTES");
        }
        long[] shape = new long[input.path("shape").size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.path("shape").get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new Inference.Refused(400, "input '" + name + "': its shape " + input.path("shape")
                        + " must give every dimension");
            }
            elements *= shape[i];
        }
        if (shape.length == 0 || elements > (long) Inference.MAX_ROWS * 10_000) {
            throw new Inference.Refused(400, "input '" + name + "': shape " + input.path("shape") + " is empty or "
                    + "too large");
        }
        List<JsonNode> data = new ArrayList<>((int) elements);
        JsonNode binarySize = input.path("parameters").path("binary_data_size");
        if (binarySize.isNumber()) {
            decode(name, datatype, elements, binarySize.asLong(), binary, data);
        } else {
            flatten(input.path("data"), data);
        }
        if (data.size() != elements) {
            throw new Inference.Refused(400, "input '" + name + "': shape " + input.path("shape") + " holds "
                    + elements + " elements, but data has " + data.size());
        }
        return new Tensor(name, datatype, shape, data);
    }

    /** Reads an input's raw data from the binary part of the body (the binary tensor extension's layout). */
    private static void decode(String name, String datatype, long elements, long size, ByteBuffer binary,
                               List<JsonNode> into) {
        if (size < 0 || size > binary.remaining()) {
            throw new Inference.Refused(400, "input '" + name + "': binary_data_size " + size + " is more than the "
                    + binary.remaining() + " bytes left in the body");
        }
        ByteBuffer data = binary.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) size);
        binary.position(binary.position() + (int) size);
        JsonNodeFactory nodes = JSON.getNodeFactory();
        for (long i = 0; i < elements; i++) {
            try {
                into.add(switch (datatype) {
                    case "FP32" -> nodes.numberNode(data.getFloat());
                    case "FP64" -> nodes.numberNode(data.getDouble());
                    case "INT8" -> nodes.numberNode(data.get());
                    case "UINT8" -> nodes.numberNode(data.get() & 0xFF);
                    case "INT16" -> nodes.numberNode(data.getShort());
                    case "UINT16" -> nodes.numberNode(data.getShort() & 0xFFFF);
                    case "INT32", "UINT32" -> nodes.numberNode(data.getInt());
                    case "INT64", "UINT64" -> nodes.numberNode(data.getLong());
                    case "BOOL" -> nodes.booleanNode(data.get() != 0);
                    case "BYTES" -> {
                        int length = data.getInt();
                        if (length < 0 || length > data.remaining()) {
                            throw new Inference.Refused(400, "input '" + name + "': a BYTES element claims " + length
                                    + " bytes, more than its data holds");
                        }
                        byte[] text = new byte[length];
                        data.get(text);
                        yield nodes.textNode(new String(text, StandardCharsets.UTF_8));
                    }
                    default -> throw new Inference.Refused(400, "input '" + name + "': binary " + datatype
                            + " data is not read; send FP32, FP64, INT8-64, UINT8-64, BOOL or BYTES");
                });
            } catch (java.nio.BufferUnderflowException e) {
                throw new Inference.Refused(400, "input '" + name + "': binary_data_size " + size + " holds fewer "
                        + "than its " + elements + " elements");
            }
        }
        if (data.hasRemaining()) {
            throw new Inference.Refused(400, "input '" + name + "': binary_data_size " + size + " holds more than its "
                    + elements + " " + datatype + " elements");
        }
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                flatten(element, into);
            }
        } else if (!node.isMissingNode()) {
            into.add(node);
        }
    }

    /** Rows from one tensor per feature, or from one tensor {@code [n, features]} in the model's feature order. */
    private static Object[][] rows(FeatureEncoder encoder, List<Tensor> inputs) {
        List<FeatureEncoder.Input> features = encoder.inputs();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        inputs.forEach(t -> byName.put(t.name(), t));
        if (inputs.size() == 1 && !encoder.features().contains(inputs.get(0).name())) {
            Tensor matrix = inputs.get(0);
            if (matrix.shape().length != 2 || matrix.shape()[1] != features.size()) {
                throw new Inference.Refused(400, "input '" + matrix.name() + "' has shape "
                        + java.util.Arrays.toString(matrix.shape()) + "; one tensor for all features must be [n, "
                        + features.size() + "] in the order " + encoder.features() + " (or send one tensor per "
                        + "feature)");
            }
            int n = (int) matrix.shape()[0];
            Object[][] rows = new Object[n][features.size()];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < features.size(); j++) {
                    rows[i][j] = value(features.get(j), matrix, matrix.data().get(i * features.size() + j));
                }
            }
            return rows;
        }
        Integer n = null;
        for (FeatureEncoder.Input feature : features) {
            Tensor t = byName.get(feature.name());
            if (t == null) {
                if (feature.kind() == FeatureEncoder.Kind.NUMERIC && !feature.nullable()) {
                    throw new Inference.Refused(400, "feature '" + feature.name() + "' has no input tensor; the "
                            + "inputs are " + encoder.features());
                }
                continue;
            }
            if (t.shape().length > 2 || t.shape().length == 2 && t.shape()[1] != 1) {
                throw new Inference.Refused(400, "input '" + t.name() + "' has shape "
                        + java.util.Arrays.toString(t.shape()) + "; a feature's tensor is [n] or [n,1]");
            }
            if (n != null && n != t.shape()[0]) {
                throw new Inference.Refused(400, "input '" + t.name() + "' has " + t.shape()[0] + " rows, another "
                        + "has " + n);
            }
            n = (int) t.shape()[0];
        }
        for (String name : byName.keySet()) {
            if (!encoder.features().contains(name)) {
                throw new Inference.Refused(400, "input '" + name + "' is not a feature of this model; its "
                        + "features are " + encoder.features());
            }
        }
        if (n == null) {
            throw new Inference.Refused(400, "no input names a feature of this model: " + encoder.features());
        }
        Object[][] rows = new Object[n][features.size()];
        for (int j = 0; j < features.size(); j++) {
            FeatureEncoder.Input feature = features.get(j);
            Tensor t = byName.get(feature.name());
            for (int i = 0; i < n; i++) {
                rows[i][j] = t == null ? (feature.kind() == FeatureEncoder.Kind.NUMERIC ? (Object) Float.NaN : null)
                        : value(feature, t, t.data().get(i));
            }
        }
        return rows;
    }

    private static Object value(FeatureEncoder.Input feature, Tensor t, JsonNode element) {
        if (feature.kind() == FeatureEncoder.Kind.CATEGORICAL) {
            if (!t.datatype().equals("BYTES") || !element.isTextual()) {
                throw new Inference.Refused(400, "feature '" + feature.name() + "' is categorical: its tensor must "
                        + "be BYTES of strings, got " + t.datatype());
            }
            return element.asText();
        }
        if (t.datatype().equals("BYTES")) {
            throw new Inference.Refused(400, "feature '" + feature.name() + "' is numeric: its tensor must be FP32, "
                    + "FP64, INT32, INT64 or BOOL, not BYTES");
        }
        if (element.isBoolean()) {
            return element.asBoolean() ? 1f : 0f;
        }
        if (!element.isNumber()) {
            throw new Inference.Refused(400, "feature '" + feature.name() + "': " + element + " is not a number");
        }
        return element.floatValue();
    }
}
