package io.annals.app;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Small ONNX models written field by field in protobuf's wire format (onnx.proto: ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto), standing in for files a team exported from scikit-learn or PyTorch: a logistic
 * model (MatMul, Add, Sigmoid; output {@code probability} [N,1]) and a softmax one (output {@code probabilities}
 * [N,k]). Both take one FP32 input {@code input} [N, features].
 */
public final class OnnxFiles {

    private static final int FLOAT = 1;

    private OnnxFiles() {
    }

    /** A multipart body of the model file and its signature, as {@code POST /v1/models/{model}/versions} takes it. */
    public static byte[] multipart(String boundary, byte[] file, String signature) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"churn.onnx\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"signature\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + signature + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** Uploads a model file and its signature to {@code POST /v1/models/{model}/versions}, as a team would. */
    public static java.net.http.HttpResponse<String> upload(String baseUrl, String token, String model, byte[] file,
                                                           String signature) throws Exception {
        String boundary = "annals-" + java.util.UUID.randomUUID();
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl + "/v1/models/" + model + "/versions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(java.time.Duration.ofSeconds(60))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, file, signature)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    public static byte[] logistic(float[] weights, float bias) {
        float[][] w = new float[weights.length][1];
        for (int i = 0; i < weights.length; i++) {
            w[i][0] = weights[i];
        }
        return model(w, new float[] {bias}, "Sigmoid", "probability");
    }

    static byte[] softmax(float[][] weights, float[] bias) {
        return model(weights, bias, "Softmax", "probabilities");
    }

    private static byte[] model(float[][] weights, float[] bias, String activation, String output) {
        int features = weights.length;
        int outputs = bias.length;
        float[] flat = new float[features * outputs];
        for (int i = 0; i < features; i++) {
            System.arraycopy(weights[i], 0, flat, i * outputs, outputs);
        }
        Pb graph = new Pb()
                .message(1, node("matmul", "MatMul", "z", "input", "W"))
                .message(1, node("add", "Add", "logits", "z", "B"))
                .message(1, node("activation", activation, output, "logits"))
                .string(2, "annals-test")
                .message(5, tensor("W", flat, features, outputs))
                .message(5, tensor("B", bias, outputs))
                .message(11, valueInfo("input", features))
                .message(12, valueInfo(output, outputs));
        return new Pb().int64(1, 8).string(2, "annals-test").message(7, graph).message(8, new Pb().int64(2, 13))
                .bytes();
    }

    private static Pb node(String name, String op, String output, String... inputs) {
        Pb node = new Pb();
        for (String input : inputs) {
            node.string(1, input);
        }
        return node.string(2, output).string(3, name).string(4, op);
    }

    private static Pb tensor(String name, float[] values, long... dims) {
        Pb tensor = new Pb();
        for (long dim : dims) {
            tensor.int64(1, dim);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return tensor.int64(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** A FP32 tensor of shape [N, width], N a symbolic batch size. */
    private static Pb valueInfo(String name, int width) {
        Pb shape = new Pb().message(1, new Pb().string(2, "N")).message(1, new Pb().int64(1, width));
        Pb tensorType = new Pb().int64(1, FLOAT).message(2, shape);
        return new Pb().string(1, name).message(2, new Pb().message(1, tensorType));
    }

    /** Protobuf's wire format, as much of it as these messages need. */
    private static final class Pb {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void varint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        private void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        Pb int64(int field, long value) {
            tag(field, 0);
            varint(value);
            return this;
        }

        Pb string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Pb bytes(int field, byte[] value) {
            tag(field, 2);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Pb message(int field, Pb message) {
            return bytes(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
